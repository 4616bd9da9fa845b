using OrleansCloud.Images;

namespace OrleansCloud.Grains.Images;

public sealed class ImageGrain(
    [PersistentState("image")] IPersistentState<ImageState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IImageGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<Result<ImageView>> Create(ImageSpec spec)
    {
        var errors = ImageRules.Check(spec);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (state.State.Spec is not null)
        {
            return Error.Conflict($"Image '{Id}' exists.");
        }

        state.State.Spec = spec;
        state.State.CreatedAt = time.GetUtcNow();
        state.State.Version = 1;
        await state.WriteStateAsync();
        await GrainFactory.Ref<IDirectoryGrain>(DirectoryKeys.Images).Add(Id);
        return View();
    }

    public Task<Result<ImageView>> Get() =>
        Task.FromResult(state.State.Spec is null ? Result<ImageView>.Fail(Error.NotFound($"Image '{Id}'")) : View());

    public async Task<Result<ImageView>> Change(ImageChange change)
    {
        if (state.State.Spec is not { } current)
        {
            return Error.NotFound($"Image '{Id}'");
        }

        var changed = change.ApplyTo(current);
        var errors = ImageRules.Check(changed);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (changed != current)
        {
            state.State.Spec = changed;
            state.State.Version++;
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<Result> Delete()
    {
        if (state.State.Spec is null)
        {
            return Error.NotFound($"Image '{Id}'");
        }

        await state.ClearStateAsync();
        state.State = new ImageState();
        await GrainFactory.Ref<IDirectoryGrain>(DirectoryKeys.Images).Remove(Id);
        return Result.Ok;
    }

    private Result<ImageView> View() => new ImageView(Id, state.State.Spec!, state.State.CreatedAt, state.State.Version);
}
