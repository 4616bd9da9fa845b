namespace OrleansCloud.HostAgent.Drivers;

/// <summary>
/// Runs one kind of host operation. A driver implements this once per operation it supports; the
/// agent routes each operation to the handler of its type (<see cref="HostOperationDispatch"/>), so
/// an operation a driver lacks is refused by name, never run as something else. Every handler must
/// be idempotent: the same operation applied twice leaves one result. Expected failures are results.
/// </summary>
public interface IHostOperationHandler<in TOperation>
    where TOperation : HostOperation
{
    Task<HostOperationResult> ExecuteAsync(string hostName, TOperation operation, CancellationToken cancellationToken);
}
