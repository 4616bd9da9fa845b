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

    public async Task<Result<UserView>> SetMembership(Membership membership)
    {
        if (!state.State.Exists)
        {
            return Error.NotFound($"User '{this.GetPrimaryKeyString()}'");
        }

        var memberships = state.State.Memberships;
        var index = memberships.FindIndex(m => m.TenantId == membership.TenantId);
        if (index >= 0)
        {
            memberships[index] = membership;
        }
        else
        {
            memberships.Add(membership);
        }

        await state.WriteStateAsync();
        return View();
    }

    public async Task<Result<UserView>> RemoveMembership(string tenantId)
    {
        if (!state.State.Exists || state.State.Memberships.RemoveAll(m => m.TenantId == tenantId) == 0)
        {
            return Error.NotFound($"Member '{this.GetPrimaryKeyString()}' of tenant '{tenantId}'");
        }

        await state.WriteStateAsync();
        return View();
    }

    public Task<string?> GetPasswordHash() =>
        Task.FromResult(state.State.Exists ? state.State.PasswordHash : null);

    public async Task<bool> ReplacePasswordHash(string expectedHash, string newHash)
    {
        if (!state.State.Exists || string.IsNullOrEmpty(newHash) || !string.Equals(state.State.PasswordHash, expectedHash, StringComparison.Ordinal))
        {
            return false;
        }

        state.State.PasswordHash = newHash;
        await state.WriteStateAsync();
        return true;
    }

    private UserView View() => new(this.GetPrimaryKeyString(), state.State.Memberships, state.State.CreatedAt);
}
