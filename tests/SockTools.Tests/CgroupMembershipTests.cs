using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// CgroupMembership on /proc/&lt;pid&gt;/cgroup texts of the layouts there are: cgroup v2 (one "0::" line), cgroup v1
/// (a line per hierarchy, systemd's own named name=systemd) and hybrid (both), for services, sessions, and the
/// containers of docker, containerd, CRI-O, podman and Kubernetes with the cgroupfs and the systemd drivers.
/// </summary>
public sealed class CgroupMembershipTests
{
    private const string Id = "4f1d6a0e8c2b3d5e7f9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a";
    private const string ShortId = "4f1d6a0e8c2b";

    private static string V1(string systemd, string controllers) =>
        $"12:pids:{controllers}\n11:memory:{controllers}\n5:cpu,cpuacct:{controllers}\n1:name=systemd:{systemd}\n";

    [Theory]
    [InlineData("0::/system.slice/nginx.service\n", "nginx.service")]
    [InlineData("0::/system.slice/getty.slice/getty@tty1.service\n", "getty@tty1.service")]
    [InlineData("0::/system.slice/foo.service/worker\n", "foo.service")] // a service's own sub-cgroup (Delegate=yes)
    [InlineData("0::/user.slice/user-1000.slice/user@1000.service/session.slice/pipewire.service\n", "pipewire.service")]
    [InlineData("0::/user.slice/user-1000.slice/session-3.scope\n", null)] // a login session is a scope, no service
    [InlineData("0::/init.scope\n", null)] // PID 1
    [InlineData("0::/system.slice\n", null)]
    [InlineData("0::/\n", null)]
    [InlineData("", null)]
    public void FindsTheServiceOnCgroupV2(string text, string? service)
    {
        Assert.Equal(service, CgroupMembership.ServiceName(text));
    }

    [Fact]
    public void FindsTheServiceOnCgroupV1FromSystemdsOwnHierarchy()
    {
        string text = V1("/system.slice/postgresql@15-main.service", "/system.slice/postgresql@15-main.service");
        Assert.Equal("postgresql@15-main.service", CgroupMembership.ServiceName(text));
        Assert.Null(CgroupMembership.ContainerId(text));
    }

    [Fact]
    public void OnHybridSystemsSystemdsV1HierarchyDecidesUnlessItSaysRoot()
    {
        // docker with the cgroupfs driver on a hybrid host: the v1 hierarchies (systemd's too) name the container,
        // the unified one only the service that started it. The container is no service.
        string container = $"1:name=systemd:/docker/{Id}\n0::/system.slice/containerd.service\n";
        Assert.Null(CgroupMembership.ServiceName(container));
        Assert.Equal(ShortId, CgroupMembership.ContainerId(container));

        // systemd's hierarchy at its root says nothing; the unified one decides.
        string unifiedOnly = "9:name=systemd:/\n4:memory:/process_api/abc\n0::/socktools.slice/echo.service\n";
        Assert.Equal("echo.service", CgroupMembership.ServiceName(unifiedOnly));
    }

    [Theory]
    [InlineData("0::/docker/" + Id + "\n")]                                                           // docker, cgroupfs, v2
    [InlineData("0::/system.slice/docker-" + Id + ".scope\n")]                                      // docker, systemd driver
    [InlineData("0::/system.slice/docker-" + Id + ".scope/init.scope\n")]                           // docker, a nested scope inside
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice/cri-containerd-" + Id + ".scope\n")]
    [InlineData("0::/kubepods/besteffort/pod1a2b3c4d-aaaa-bbbb-cccc-0123456789ab/" + Id + "\n")]    // Kubernetes, cgroupfs
    [InlineData("0::/kubepods.slice/kubepods-pod1a2b.slice/crio-" + Id + ".scope\n")]                // CRI-O, systemd
    [InlineData("0::/machine.slice/libpod-" + Id + ".scope/container\n")]                           // podman, v2 split
    [InlineData("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + Id + ".scope\n")] // rootless podman
    [InlineData("0::/k8s.io/" + Id + "\n")]                                                          // containerd namespace, cgroupfs
    [InlineData("0::/system.slice/nerdctl-" + Id + ".scope\n")]
    public void FindsTheContainerOfEveryRuntime(string text)
    {
        Assert.Equal(ShortId, CgroupMembership.ContainerId(text));
        Assert.Null(CgroupMembership.ServiceName(text)); // a container's scope is no service, nor is the user manager above a rootless one
    }

    [Fact]
    public void FindsTheContainerOnCgroupV1InAnyHierarchy()
    {
        Assert.Equal(ShortId, CgroupMembership.ContainerId(V1($"/docker/{Id}", $"/docker/{Id}")));
        Assert.Equal(ShortId, CgroupMembership.ContainerId(V1("/", $"/kubepods/burstable/pod1/{Id}"))); // only the controllers say
    }

    [Theory]
    [InlineData("0::/system.slice/crio-conmon-" + Id + ".scope\n")]     // CRI-O's monitor, beside the container
    [InlineData("0::/machine.slice/libpod-conmon-" + Id + ".scope\n")]  // podman's
    [InlineData("0::/docker/" + "4F1D6A0E8C2B" + "\n")]                  // not 64 hex digits
    [InlineData("0::/system.slice/docker.service\n")]
    [InlineData("0::/lxc.payload.web\n")]
    public void FindsNoContainerWhereThereIsNone(string text)
    {
        Assert.Null(CgroupMembership.ContainerId(text));
    }

    [Fact]
    public void TakesTheInnermostContainerOfNestedOnes()
    {
        const string Inner = "aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeee0000";
        string kind = $"0::/docker/{Id}/kubelet.slice/kubelet-kubepods.slice/cri-containerd-{Inner}.scope\n";
        Assert.Equal("aaaaaaaaaaaa", CgroupMembership.ContainerId(kind));
    }

    [Fact]
    public void ReadsAPathThatHoldsAColon()
    {
        Assert.Equal("a:b.service", CgroupMembership.ServiceName("0::/system.slice/a:b.service\n"));
    }
}
