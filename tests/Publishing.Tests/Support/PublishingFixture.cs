using Docker.DotNet;

namespace PostgresReplication.Publishing.Tests;

/// <summary>
/// One registry and one tiny image shared by the push tests; each test uses its own
/// repository name so their tag lists never mix.
/// </summary>
public sealed class PublishingFixture : IAsyncLifetime
{
    public const string Username = "publisher";

    public const string Password = "correct-horse-battery";

    private LocalRegistry? registry;
    private TinyImage? image;

    public IDockerClient Docker { get; } = DockerClients.Local();

    public LocalRegistry Registry => registry ?? throw new InvalidOperationException("Fixture not started.");

    public TinyImage Image => image ?? throw new InvalidOperationException("Fixture not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        registry = await LocalRegistry.StartAsync(Username, Password, timeout.Token);
        image = await TinyImage.CreateAsync(Docker, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (image is not null)
        {
            await image.DisposeAsync();
        }

        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        Docker.Dispose();
    }

    /// <summary>Removes the engine's tags a publish created, so no test leaves images behind.</summary>
    public async Task RemoveLocalTagsAsync(RegistryDestination target, IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            try
            {
                await Docker.Images.DeleteImageAsync(
                    target.ImageReference(tag), new Docker.DotNet.Models.ImageDeleteParameters(), CancellationToken.None);
            }
            catch (DockerImageNotFoundException)
            {
                // Never created, e.g. when the publish was refused before tagging.
            }
        }
    }
}
