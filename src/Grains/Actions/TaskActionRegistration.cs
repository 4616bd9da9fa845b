using OrleansCloud.Grains.Actions.VmCreate;
using OrleansCloud.Grains.Actions.NetworkCreate;
using OrleansCloud.Grains.Actions.NetworkDelete;
using OrleansCloud.Grains.Actions.VmAttachInterface;
using OrleansCloud.Grains.Actions.VmDelete;
using OrleansCloud.Grains.Actions.VmDetachInterface;
using OrleansCloud.Grains.Actions.VmEdit;
using OrleansCloud.Grains.Actions.VmMigrate;
using OrleansCloud.Grains.Actions.VmReboot;
using OrleansCloud.Grains.Actions.VmStart;
using OrleansCloud.Grains.Actions.VmStop;

namespace OrleansCloud.Grains.Actions;

/// <summary>The one place the control plane's actions are registered: a line per action.</summary>
public static class TaskActionRegistration
{
    public static IServiceCollection AddTaskActions(this IServiceCollection services)
    {
        services.AddSingleton<ITaskActionDefinition, VmCreateDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmDeleteDefinition>();
        services.AddSingleton<ITaskActionDefinition, NetworkCreateDefinition>();
        services.AddSingleton<ITaskActionDefinition, NetworkDeleteDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmStartDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmStopDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmRebootDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmEditDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmMigrateDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmAttachInterfaceDefinition>();
        services.AddSingleton<ITaskActionDefinition, VmDetachInterfaceDefinition>();
        services.AddSingleton<TaskActionRegistry>();
        return services;
    }
}
