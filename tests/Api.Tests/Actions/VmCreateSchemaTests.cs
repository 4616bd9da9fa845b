using System.Text.Json;
using OrleansCloud.Api.Actions.VmCreate;
using OrleansCloud.Common;
using OrleansCloud.Images;

namespace OrleansCloud.Api.Tests.Actions;

/// <summary>vm.create's enrichment from the image catalogue, without a cluster.</summary>
public sealed class VmCreateSchemaTests
{
    private static readonly ImageView Image = new("img-a", new ImageSpec("A", "Linux", "qcow2", 2, 4096, 40, 30, "default", "img-a.qcow2"), DateTimeOffset.UnixEpoch, 1);

    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void OmittedSizes_ComeFromTheImage()
    {
        var spec = VmCreateSchema.ParseSpec(Data("""{"name": "vm1", "imageId": "img-a"}"""), Image);

        Assert.True(spec.IsSuccess);
        Assert.Equal((2, 4096L, 40L), (spec.Value.Cpu, spec.Value.RamMb, spec.Value.DiskGb));
    }

    [Fact]
    public void GivenSizes_WinOverTheImage()
    {
        var spec = VmCreateSchema.ParseSpec(Data("""{"name": "vm1", "imageId": "img-a", "cpu": 1, "ram": "1GB", "disk": "35GB"}"""), Image);

        Assert.Equal((1, 1024L, 35L), (spec.Value!.Cpu, spec.Value.RamMb, spec.Value.DiskGb));
    }

    [Fact]
    public void ADiskBelowTheImagesMinimum_IsRefused()
    {
        var spec = VmCreateSchema.ParseSpec(Data("""{"name": "vm1", "imageId": "img-a", "disk": "29GB"}"""), Image);

        Assert.Equal(ErrorCodes.Validation, spec.Error!.Code);
        Assert.Contains("data.disk", spec.Error.Fields!.Keys);
    }

    [Theory]
    [InlineData("""{"name": "vm1", "imageId": "img-b"}""")]
    [InlineData("""{"name": "vm1"}""")]
    public void AnImageNotInTheCatalogue_IsAValidationErrorOnImageId(string json)
    {
        var spec = VmCreateSchema.ParseSpec(Data(json), image: null);

        Assert.Equal(["data.imageId"], spec.Error!.Fields!.Keys);
    }

    [Fact]
    public void AnOmittedImage_IsTheDefaultImage()
    {
        Assert.Equal(VmCreateSchema.DefaultImage, VmCreateSchema.ImageIdOf(Data("""{"name": "vm1"}""")));
        Assert.Null(VmCreateSchema.ImageIdOf(Data("""{"name": "vm1", "imageId": 5}""")));
    }
}
