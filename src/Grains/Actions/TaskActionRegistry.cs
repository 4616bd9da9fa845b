namespace OrleansCloud.Grains.Actions;

/// <summary>Every action the engine runs, by name. An unknown action is refused here and nowhere else.</summary>
public sealed class TaskActionRegistry
{
    private readonly Dictionary<string, ITaskActionDefinition> _byName;

    public TaskActionRegistry(IEnumerable<ITaskActionDefinition> definitions)
    {
        _byName = new Dictionary<string, ITaskActionDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_byName.TryAdd(definition.Name, definition))
            {
                throw new InvalidOperationException($"Two definitions of the action '{definition.Name}'.");
            }
        }
    }

    public IReadOnlyCollection<ITaskActionDefinition> All => _byName.Values;

    public Result<ITaskActionDefinition> Find(string action) =>
        _byName.TryGetValue(action, out var definition)
            ? Result<ITaskActionDefinition>.Ok(definition)
            : Error.Validation("action", $"must be one of: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}");
}
