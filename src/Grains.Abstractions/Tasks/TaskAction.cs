namespace OrleansCloud.Tasks;

/// <summary>The actions a task can carry. The API spells them "vm.create", "vm.delete", ...</summary>
public enum TaskAction
{
    VmCreate = 1,
    VmDelete = 2,
    VmStart = 3,
    VmStop = 4,
}
