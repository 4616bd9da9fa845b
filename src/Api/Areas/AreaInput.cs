using OrleansCloud.Areas;

namespace OrleansCloud.Api.Areas;

/// <summary>Validates area requests into grain calls, collecting every problem by field. Pure: unit tested without a cluster.</summary>
public static class AreaInput
{
    public const int MaxDescriptionLength = 1000;

    public static Result<(string Area, AreaSettings Settings)> ToSettings(CreateAreaRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Names.IsValid(request.Area))
        {
            errors["area"] = ["is required: 1-63 lower-case letters, digits or inner hyphens"];
        }

        var change = ToChange(new ChangeAreaRequest(request.Name, request.Description, request.VlanRange, request.SubnetPool, request.PublicSubnet), errors);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var settings = new AreaSettings(
            change.Name ?? request.Area!,
            change.Description ?? "",
            change.VlanRange ?? AreaDefaults.VlanRange,
            change.SubnetPool ?? AreaDefaults.SubnetPool,
            change.PublicSubnet);
        var structural = AreaRules.Check(settings);
        return structural.Count > 0 ? Error.Validation(structural) : (request.Area!, settings);
    }

    public static Result<AreaChange> ToChange(ChangeAreaRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var change = ToChange(request, errors);
        return errors.Count > 0 ? Error.Validation(errors) : change;
    }

    private static AreaChange ToChange(ChangeAreaRequest request, Dictionary<string, string[]> errors)
    {
        if (request.Name is not null && !TextRules.IsDisplayText(request.Name, TextRules.MaxDisplayNameLength))
        {
            errors["name"] = [TextRules.Rule(TextRules.MaxDisplayNameLength)];
        }

        if (request.Description is { Length: > 0 } && !TextRules.IsDisplayText(request.Description, MaxDescriptionLength))
        {
            errors["description"] = [TextRules.Rule(MaxDescriptionLength)];
        }

        VlanRange? range = null;
        if (request.VlanRange is { } given)
        {
            if (given.From is not { } from || given.To is not { } to)
            {
                errors["vlanRange"] = ["needs both from and to"];
            }
            else if (!(range = new VlanRange(from, to)).IsValid)
            {
                errors["vlanRange"] = [$"from and to must lie in {VlanRange.MinVlan}-{VlanRange.MaxVlan}, from <= to"];
            }
        }

        if (request.SubnetPool is not null && !AreaRules.IsIPv4Cidr(request.SubnetPool))
        {
            errors["subnetPool"] = ["must be an IPv4 network in CIDR form with no host bits set, e.g. 10.20.0.0/16"];
        }

        var clearPublic = request.PublicSubnet is "";
        if (request.PublicSubnet is { Length: > 0 } && !AreaRules.IsIPv4Cidr(request.PublicSubnet))
        {
            errors["publicSubnet"] = ["must be an IPv4 network in CIDR form with no host bits set, e.g. 203.0.113.0/24, or \"\" to remove it"];
        }

        return new AreaChange(request.Name, request.Description, range, request.SubnetPool, clearPublic ? null : request.PublicSubnet, clearPublic);
    }
}
