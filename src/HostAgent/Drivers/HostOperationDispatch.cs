using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansCloud.HostAgent.Drivers;

/// <summary>Finds, once per (handler type, operation type), the <see cref="IHostOperationHandler{TOperation}"/> that runs an operation.</summary>
public static class HostOperationDispatch
{
    private delegate Task<HostOperationResult> Invoker(object handler, string hostName, HostOperation operation, CancellationToken cancellationToken);

    private static readonly ConcurrentDictionary<(Type Handler, Type Operation), Invoker?> Invokers = new();

    private static readonly MethodInfo InvokeMethod =
        typeof(HostOperationDispatch).GetMethod(nameof(Invoke), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>True when <paramref name="handler"/> can run operations of <paramref name="operationType"/>.</summary>
    public static bool Supports(object handler, Type operationType) => Find(handler.GetType(), operationType) is not null;

    public static Task<HostOperationResult> RunAsync(object handler, string hostName, HostOperation operation, CancellationToken cancellationToken)
    {
        var invoker = Find(handler.GetType(), operation.GetType());
        return invoker is null
            ? Task.FromResult(HostOperationResult.Failure(operation.OperationId, ErrorCodes.HostOperationFailed,
                $"{operation.Name} is not supported by this host's driver", retryable: false, []))
            : invoker(handler, hostName, operation, cancellationToken);
    }

    private static Invoker? Find(Type handlerType, Type operationType) =>
        Invokers.GetOrAdd((handlerType, operationType), key =>
            typeof(IHostOperationHandler<>).MakeGenericType(key.Operation).IsAssignableFrom(key.Handler)
                ? InvokeMethod.MakeGenericMethod(key.Operation).CreateDelegate<Invoker>()
                : null);

    private static Task<HostOperationResult> Invoke<TOperation>(object handler, string hostName, HostOperation operation, CancellationToken cancellationToken)
        where TOperation : HostOperation =>
        ((IHostOperationHandler<TOperation>)handler).ExecuteAsync(hostName, (TOperation)operation, cancellationToken);
}
