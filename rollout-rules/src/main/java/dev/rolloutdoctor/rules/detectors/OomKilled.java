package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerState.Terminated;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.TemplateContainer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * New pods whose container the kernel kills for using more memory than its limit ({@code OOMKilled}, exit code 137)
 * restart in a loop and never stay ready. The limit, and the previous revision's, tell whether the rollout lowered it
 * or the new version needs more.
 */
@Rule(id = "oom-killed", title = "Container killed for memory (OOMKilled)", severity = Severity.ERROR, layer = Layer.POD,
        explains = {"crash-loop", "readiness-probe-failing"},
        description = "A container of the new pods was killed by the kernel for exceeding its memory limit (OOMKilled), "
                + "so it restarts in a loop; the finding compares the limit with the previous revision's and suggests one.")
public final class OomKilled implements Detector {

    private static final BigInteger MI = BigInteger.valueOf(1024L * 1024);
    private static final BigInteger GI = MI.multiply(BigInteger.valueOf(1024));
    private static final BigInteger SMALL_STEP = MI.multiply(BigInteger.valueOf(64));
    private static final BigInteger LARGE_STEP = MI.multiply(BigInteger.valueOf(256));

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = NewPodContainers.newPods(status);
            NewPodContainers.byContainer(NewPodContainers.instances(pods), OomKilled::oomKilled)
                    .forEach((name, killed) -> findings.add(finding(context, status, pods.size(), killed)));
        }
        return findings;
    }

    static boolean oomKilled(Instance i) {
        return i.state().terminated().or(() -> i.lastState().terminated()).map(t -> t.reason().equals("OOMKilled")).orElse(false);
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, int total, List<Instance> killed) {
        Instance example = ContainerExit.newest(killed).orElse(killed.get(0));
        Terminated t = ContainerExit.last(example).orElseThrow();
        List<Pod> pods = killed.stream().map(Instance::pod).distinct().toList();
        Optional<TemplateContainer> current = NewPodContainers.templateContainer(status.workload(), example.name());
        // the pod's own spec holds what was enforced, LimitRange defaults included; the template is where to fix it
        Optional<Container> container = example.spec().or(() -> current.map(TemplateContainer::container));
        Optional<Quantity> limit = container.map(c -> c.resources().limits().get("memory"));
        Optional<Quantity> request = container.map(c -> c.resources().effectiveRequests().get("memory"));
        boolean fromLimitRange = limit.isPresent() && current.isPresent()
                && !current.get().container().resources().limits().containsKey("memory");
        Optional<TemplateContainer> previous = NewPodContainers.previous(status, example.name());
        Optional<Quantity> previousLimit = previous.map(p -> p.container().resources().limits().get("memory"));
        boolean lowered = limit.isPresent() && previousLimit.isPresent() && previousLimit.get().compareTo(limit.get()) > 0;
        Optional<String> suggestion = limit.map(l -> lowered ? previousLimit.get().toString() : suggest(l));

        Finding.Builder f = Finding.of(OomKilled.class)
                .workload(status.workload())
                .culprit(status.workload())
                .title(NewPodContainers.podsPhrase(pods.size(), total, status) + (pods.size() == 1 ? " is" : " are")
                        + " OOMKilled: " + NewPodContainers.containerPhrase(example)
                        + limit.map(l -> " exceeds its " + l + " memory limit"
                        + previousLimit.filter(p -> !p.equals(l)).map(p -> " (was " + p + ")").orElse(""))
                        .orElse(" was killed with no memory limit set (the node ran out of memory)"))
                .explanation(explanation(example, t, limit, request, previousLimit, lowered, suggestion, context)
                        + (fromLimitRange ? " The template sets no memory limit: this one is a LimitRange default of the "
                        + "namespace, applied when the pods were created." : ""));
        f.evidence(Evidence.field(example.pod(), example.statusPath() + (example.state().isTerminated() ? ".state.terminated" : ".lastState.terminated"),
                ContainerExit.fieldText(t), t.finishedAt()));
        f.evidence(Evidence.field(example.pod(), example.statusPath() + ".restartCount", String.valueOf(example.status().restartCount())));
        current.ifPresent(c -> f.evidence(Evidence.field(c.owner(), c.path() + ".resources",
                "limits.memory " + limit.map(Quantity::toString).orElse("(none)")
                        + ", requests.memory " + request.map(Quantity::toString).orElse("(none)"))));
        previous.filter(p -> !previousLimit.equals(limit)).ifPresent(p -> f.evidence(Evidence.field(p.owner(),
                p.path() + ".resources.limits.memory", previousLimit.map(Quantity::toString).orElse("(none)"))));
        steps(f, status, example, suggestion, limit);
        return f.build();
    }

    private static String explanation(Instance example, Terminated t, Optional<Quantity> limit, Optional<Quantity> request,
            Optional<Quantity> previousLimit, boolean lowered, Optional<String> suggestion, DetectionContext context) {
        StringBuilder s = new StringBuilder("The kernel killed ").append(NewPodContainers.containerPhrase(example))
                .append(" (").append(ContainerExit.when(t, context.capturedAt())).append(")");
        if (limit.isPresent()) {
            s.append(" for using more memory than its limit of ").append(limit.get())
                    .append(request.map(r -> " (request " + r + ")").orElse("")).append('.');
        } else {
            s.append(". It has no memory limit, so it was killed because the node itself ran out of memory; its memory "
                    + "request").append(request.map(r -> " (" + r + ")").orElse(" (none)"))
                    .append(" is what the scheduler reserved for it, and it used more.");
        }
        if (example.status().restartCount() > 0 || example.state().isWaiting()) {
            s.append(" Kubelet restarts it with a growing back-off (CrashLoopBackOff), so the pods never stay ready and the "
                    + "rollout cannot progress.");
        } else {
            s.append(" So the pods do not become ready and the rollout cannot progress.");
        }
        if (lowered) {
            s.append(" The previous revision allowed ").append(previousLimit.get())
                    .append(": this rollout lowered the limit below what the container needs.");
        } else if (previousLimit.isPresent() && limit.isPresent()) {
            s.append(" The previous revision had ").append(previousLimit.get().equals(limit.get()) ? "the same limit" : "a limit of " + previousLimit.get())
                    .append(", so the new version uses more memory than the old one (a heavier workload, a changed setting "
                            + "such as a JVM heap size, or a leak).");
        }
        suggestion.ifPresent(v -> s.append(" A limit of ").append(v).append(" gives it room")
                .append(lowered ? " again." : " (about twice the current one); then watch its usage."));
        return s.toString();
    }

    private static void steps(Finding.Builder f, RolloutStatus status, Instance example, Optional<String> suggestion,
            Optional<Quantity> limit) {
        ObjectRef w = status.ref();
        String value = suggestion.orElse("<memory>");
        f.step(limit.isPresent() ? "Raise the memory limit of " + example.name() : "Give " + example.name()
                        + " a memory request that matches its use (and a limit)",
                "kubectl set resources " + Kubectl.target(w) + " -c " + example.name()
                        + (limit.isPresent() ? " --limits=memory=" + value : " --requests=memory=" + value + " --limits=memory=" + value)
                        + Kubectl.ns(w));
        f.step("Watch its memory use once it runs, to tell a need for more memory from a leak",
                "kubectl top pod " + example.pod().metadata().name() + Kubectl.ns(example.podRef()) + " --containers");
        if (NewPodContainers.canUndo(status)) {
            f.step("Roll back to the previous revision while you fix it", Kubectl.rolloutUndo(w));
        }
    }

    /**
     * About twice the limit, rounded up to a quantity people write: a multiple of 64Mi up to 1Gi, of 256Mi above,
     * printed in Gi when whole.
     */
    static String suggest(Quantity limit) {
        BigInteger doubled = limit.value().multiply(BigDecimal.valueOf(2)).setScale(0, RoundingMode.CEILING).toBigInteger();
        BigInteger step = doubled.compareTo(GI) <= 0 ? SMALL_STEP : LARGE_STEP;
        BigInteger rounded = doubled.add(step).subtract(BigInteger.ONE).divide(step).multiply(step);
        if (rounded.mod(GI).signum() == 0) {
            return rounded.divide(GI) + "Gi";
        }
        return rounded.divide(MI) + "Mi";
    }
}
