namespace OrleansCloud.Api.Actions;

/// <summary>Every action the API accepts, by name. An unknown action is refused here and nowhere else in the API.</summary>
public sealed class TaskActionSchemas
{
    private readonly Dictionary<string, ITaskActionSchema> _byName;

    public TaskActionSchemas(IEnumerable<ITaskActionSchema> schemas)
    {
        _byName = new Dictionary<string, ITaskActionSchema>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            if (!_byName.TryAdd(schema.Name, schema))
            {
                throw new InvalidOperationException($"Two schemas of the action '{schema.Name}'.");
            }
        }
    }

    public IReadOnlyCollection<ITaskActionSchema> All => [.. _byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public IEnumerable<string> Names => All.Select(s => s.Name);

    public ITaskActionSchema? Find(string? name) => name is null ? null : _byName.GetValueOrDefault(name);
}
