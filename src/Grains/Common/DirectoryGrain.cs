namespace OrleansCloud.Grains.Common;

public sealed class DirectoryGrain([PersistentState("directory")] IPersistentState<DirectoryState> state) : Grain, IDirectoryGrain
{
    public async Task Add(string id)
    {
        if (state.State.Ids.Add(id))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string id)
    {
        if (state.State.Ids.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);
}
