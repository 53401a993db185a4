using System.Runtime.InteropServices;

namespace PostgresReplication;

/// <summary>
/// An OS and CPU architecture an image is built for, written as Docker writes it (linux/arm64).
/// Only the two the project publishes are accepted: each one needs a base image for it and, here,
/// an offline recipe that Debian can bootstrap under that architecture's name.
/// </summary>
public sealed record ImagePlatform(string Os, string Architecture)
{
    public static readonly ImagePlatform LinuxAmd64 = new("linux", "amd64");

    public static readonly ImagePlatform LinuxArm64 = new("linux", "arm64");

    public static IReadOnlyList<ImagePlatform> Supported { get; } = [LinuxAmd64, LinuxArm64];

    /// <summary>The machine's own platform: its images are built without emulation.</summary>
    public static ImagePlatform Native { get; } = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64
        ? LinuxArm64
        : LinuxAmd64;

    public bool IsNative => this == Native;

    /// <summary>Debian's name for the architecture, which Docker's matches for these two.</summary>
    public string DebianArchitecture => Architecture;

    /// <exception cref="ArgumentException">Not one of <see cref="Supported"/>.</exception>
    public static ImagePlatform Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        return Supported.FirstOrDefault(p => p.ToString() == trimmed)
            ?? throw new ArgumentException(
                $"Platform '{text}' is not supported; choose from {string.Join(", ", Supported)}.", nameof(text));
    }

    /// <summary>
    /// The local name of <paramref name="image"/> built or pulled for this platform: the image itself
    /// on the native platform, else with the architecture appended to its tag (postgres:15-arm64),
    /// because the engine keeps one image per name and the native one must stay where it is.
    /// </summary>
    public string LocalName(string image)
    {
        if (IsNative)
        {
            return image;
        }

        var reference = ImageReference.Parse(image);
        return $"{reference.Repository}:{reference.Tag}-{Architecture}";
    }

    public override string ToString() => $"{Os}/{Architecture}";
}
