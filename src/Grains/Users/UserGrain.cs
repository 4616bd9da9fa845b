using OrleansCloud.Users;

namespace OrleansCloud.Grains.Users;

public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    [FromKeyedServices(ControlPlaneClock.Key)] TimeProvider time) : Grain, IUserGrain
{
    public async Task<Result<UserView>> Create(string passwordHash, IReadOnlyList<Membership> memberships)
    {
        if (state.State.Exists)
        {
            return Error.Conflict($"User '{this.GetPrimaryKeyString()}' already exists.");
        }

        if (string.IsNullOrEmpty(passwordHash))
        {
            return Error.Validation("password", "a user needs a password");
        }

        state.State.Exists = true;
        state.State.PasswordHash = passwordHash;
        state.State.Memberships = [.. memberships];
        state.State.CreatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public Task<Result<UserView>> Get() =>
        Task.FromResult(state.State.Exists ? Result<UserView>.Ok(View()) : Error.NotFound($"User '{this.GetPrimaryKeyString()}'"));

    public Task<string?> GetPasswordHash() =>
        Task.FromResult(state.State.Exists ? state.State.PasswordHash : null);

    private UserView View() => new(this.GetPrimaryKeyString(), state.State.Memberships, state.State.CreatedAt);
}
