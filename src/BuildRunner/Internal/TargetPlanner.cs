namespace BuildRunner.Internal;

/// <summary>
/// Turns the requested target names into an ordered plan: the requested targets, what they
/// depend on and what they trigger, sorted so every ordering rule holds and otherwise kept in
/// declaration order. Runs nothing, so a bad plan fails before any target has started.
/// </summary>
internal static class TargetPlanner
{
    /// <param name="skip">null without <c>--skip</c>; empty for a bare <c>--skip</c>, which skips everything not requested.</param>
    public static IReadOnlyList<PlannedTarget> Plan(
        IReadOnlyList<TargetDefinition> targets,
        IReadOnlyList<string> requested,
        IReadOnlyList<string>? skip)
    {
        var lookup = new TargetLookup(targets);
        var roots = requested.Select(lookup.Named).Distinct().ToList();
        var members = Closure(roots, lookup);
        var predecessors = Predecessors(members, lookup);
        RejectCycles(members, predecessors);
        var skipped = Skipped(members, roots, skip, lookup);
        return Order(members, predecessors).Select(t => new PlannedTarget(t, skipped.Contains(t))).ToList();
    }

    private static List<TargetDefinition> Closure(IEnumerable<TargetDefinition> roots, TargetLookup lookup)
    {
        var members = new HashSet<TargetDefinition>();
        var pending = new Stack<TargetDefinition>(roots);
        while (pending.TryPop(out var target))
        {
            if (!members.Add(target))
            {
                continue;
            }

            foreach (var reference in target.Dependencies.Concat(target.Triggered))
            {
                pending.Push(lookup.Declared(reference, target.Name));
            }
        }

        return [.. members.OrderBy(t => t.Order)];
    }

    /// <summary>For each target, the targets that must finish before it starts.</summary>
    private static Dictionary<TargetDefinition, List<TargetDefinition>> Predecessors(
        List<TargetDefinition> members, TargetLookup lookup)
    {
        var predecessors = members.ToDictionary(t => t, _ => new List<TargetDefinition>());
        void Edge(TargetDefinition first, TargetDefinition then)
        {
            if (predecessors.TryGetValue(then, out var list) && predecessors.ContainsKey(first) && !list.Contains(first))
            {
                list.Add(first);
            }
        }

        foreach (var target in members)
        {
            TargetDefinition Resolve(Target reference) => lookup.Declared(reference, target.Name);
            foreach (var dependency in target.Dependencies.Select(Resolve)) Edge(dependency, target);
            foreach (var earlier in target.RunsAfter.Select(Resolve)) Edge(earlier, target);
            foreach (var later in target.RunsBefore.Select(Resolve)) Edge(target, later);
            foreach (var triggered in target.Triggered.Select(Resolve)) Edge(target, triggered);
        }

        return predecessors;
    }

    private static void RejectCycles(
        List<TargetDefinition> members, Dictionary<TargetDefinition, List<TargetDefinition>> predecessors)
    {
        var finished = new HashSet<TargetDefinition>();
        var path = new List<TargetDefinition>();
        void Visit(TargetDefinition target)
        {
            var start = path.IndexOf(target);
            if (start >= 0)
            {
                var cycle = path.Skip(start).Append(target).Select(t => t.Name);
                throw new BuildFailedException($"Targets form a cycle: {string.Join(" -> ", cycle)}.");
            }

            if (finished.Contains(target))
            {
                return;
            }

            path.Add(target);
            predecessors[target].ForEach(Visit);
            path.RemoveAt(path.Count - 1);
            finished.Add(target);
        }

        members.ForEach(Visit);
    }

    /// <summary>Repeatedly takes the earliest-declared target whose predecessors are done.</summary>
    private static List<TargetDefinition> Order(
        List<TargetDefinition> members, Dictionary<TargetDefinition, List<TargetDefinition>> predecessors)
    {
        var done = new HashSet<TargetDefinition>();
        var remaining = new List<TargetDefinition>(members);
        var order = new List<TargetDefinition>();
        while (remaining.Count > 0)
        {
            var next = remaining.First(t => predecessors[t].All(done.Contains));
            remaining.Remove(next);
            done.Add(next);
            order.Add(next);
        }

        return order;
    }

    private static HashSet<TargetDefinition> Skipped(
        List<TargetDefinition> members, List<TargetDefinition> roots, IReadOnlyList<string>? skip, TargetLookup lookup) =>
        skip switch
        {
            null => [],
            [] => [.. members.Except(roots)],
            _ => [.. skip.Select(lookup.Named).Intersect(members)],
        };
}

/// <summary>One step of the execution plan; a skipped step is listed but not run.</summary>
internal sealed record PlannedTarget(TargetDefinition Definition, bool Skipped);
