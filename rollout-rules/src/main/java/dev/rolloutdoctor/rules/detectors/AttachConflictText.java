package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.RollingUpdateFenceposts;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.VolumeHolders.Conflict;
import dev.rolloutdoctor.rules.detectors.VolumeHolders.Holder;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The words of a {@code volume-attach-conflict} finding: title, explanation, evidence and steps for one conflict. */
final class AttachConflictText {

    private static final String RECREATE = "{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}";

    private AttachConflictText() {
    }

    static Finding finding(RolloutStatus status, Conflict c) {
        KubeObject workload = status.workload();
        Finding.Builder f = Finding.of(VolumeAttachConflict.class)
                .workload(workload)
                .confidence(VolumeAttachConflict.confidence(c))
                .title(title(workload, c))
                .explanation(explanation(status, c));
        c.claim().ifPresentOrElse(f::culprit, () -> c.persistentVolume().ifPresent(f::culprit));
        c.holders().stream().flatMap(h -> h.pod().stream()).forEach(f::culprit);
        evidence(f, workload, c);
        steps(f, status, c);
        return f.build();
    }

    private static String title(KubeObject workload, Conflict c) {
        String who = (c.blocked().size() == 1 ? "New pod " + c.blocked().get(0).metadata().name()
                : PodVolumes.newPods(c.blocked().size())) + " of " + workload.ref();
        if (c.kind() == Conflict.Kind.READ_WRITE_ONCE_POD) {
            return who + " cannot be scheduled: ReadWriteOncePod PersistentVolumeClaim " + c.claimName().orElse(c.volume())
                    + " is in use by " + holders(c);
        }
        String mode = c.singleMode().isEmpty() ? "" : c.singleMode() + " ";
        String claim = c.claimName().filter(n -> !n.equals(c.volume())).map(n -> " (PVC " + n + ")").orElse("");
        return who + " cannot attach " + mode + "volume " + c.volume() + claim + ": " + holding(c);
    }

    /** "old pod web-1 still holds it on node-a", or what is known when no holder is. */
    private static String holding(Conflict c) {
        if (c.holders().isEmpty()) {
            return c.unnamedHolders() > 0 ? "it is used by " + c.unnamedHolders() + " pod(s) in other namespaces"
                    : "it is still attached to another node, and no pod in the snapshot uses it";
        }
        boolean one = c.holders().size() == 1;
        return holders(c) + (c.role() == Holder.Role.OLD ? " still" : "") + (one ? " holds" : " hold") + " it";
    }

    /** "old pod web-1 on node-a", "pods a, b of the same revision". */
    private static String holders(Conflict c) {
        if (c.holders().isEmpty()) {
            return c.unnamedHolders() > 0 ? c.unnamedHolders() + " pod(s) in other namespaces" : "another pod";
        }
        boolean one = c.holders().size() == 1;
        String names = PodVolumes.names(c.holders().stream().map(Holder::name).toList(), 3);
        String node = nodes(c.holders()).size() == 1 ? " on " + nodes(c.holders()).iterator().next() : "";
        return switch (c.role()) {
            case OLD -> (one ? "old pod " : "old pods ") + names + node;
            case SAME_REVISION -> (one ? "pod " : "pods ") + names + " of the same revision" + node;
            case OTHER -> (one ? "pod " : "pods ") + names + node;
        };
    }

    private static Set<String> nodes(List<Holder> holders) {
        Set<String> out = new LinkedHashSet<>();
        holders.forEach(h -> {
            if (!h.node().isEmpty()) {
                out.add(h.node());
            }
        });
        return holders.stream().allMatch(h -> !h.node().isEmpty()) ? out : Set.of();
    }

    private static String explanation(RolloutStatus status, Conflict c) {
        String blockedPods = PodVolumes.names(c.blocked().stream().map(p -> p.metadata().name()
                + (p.spec().nodeName().isEmpty() ? "" : " (node " + p.spec().nodeName() + ")")).toList(), 3);
        String intro = c.kind() == Conflict.Kind.READ_WRITE_ONCE_POD
                ? "A ReadWriteOncePod claim can be used by one pod in the whole cluster at a time, so the scheduler keeps "
                + blockedPods + " Pending while " + holders(c) + " uses it. "
                : "A " + (c.singleMode().isEmpty() ? "single-node" : c.singleMode()) + " volume attaches to one node at a "
                + "time. " + blockedPods + " cannot get it while " + (c.holders().isEmpty() && c.unnamedHolders() == 0
                ? "it is attached to another node" : holders(c) + (c.holders().size() > 1 ? " have" : " has") + " it")
                + ", so the attach/detach controller refuses to attach it (Multi-Attach error) and the new "
                + (c.blocked().size() == 1 ? "pod stays" : "pods stay") + " in ContainerCreating. ";
        return intro + consequence(status, c);
    }

    private static String consequence(RolloutStatus status, Conflict c) {
        KubeObject workload = status.workload();
        if (c.holders().isEmpty()) {
            return c.unnamedHolders() > 0 ? "Pods of another namespace use the same volume."
                    : "The pod that used it is gone, but the volume is still attached to its node: a node that is down or "
                    + "unreachable keeps its attachments until its kubelet unmounts them or the node is confirmed shut down.";
        }
        return switch (c.role()) {
            case OLD -> oldPodConsequence(status, workload);
            case SAME_REVISION -> "Several replicas of " + workload.ref() + " share one claim that attaches to a single node, "
                    + "so only pods on that node can start; replicas scheduled elsewhere wait forever.";
            case OTHER -> "The holder is not part of this rollout: another workload uses the same claim.";
        };
    }

    private static String oldPodConsequence(RolloutStatus status, KubeObject workload) {
        if (!(workload instanceof Deployment d)) {
            return "The old pod still holds the volume; the new one starts only after it is gone.";
        }
        if (d.spec().strategy().isRecreate()) {
            return "The Deployment uses Recreate, so the old pod is on its way out; the volume moves once it is gone.";
        }
        Optional<RollingUpdateFenceposts> fp = status.structure().fenceposts();
        String numbers = fp.map(x -> " (maxSurge " + x.maxSurge() + ", maxUnavailable " + x.maxUnavailable() + " after rounding)")
                .orElse("");
        boolean deadlock = fp.map(x -> x.maxUnavailable() == 0).orElse(true);
        return "With strategy RollingUpdate" + numbers + " the Deployment controller removes old pods only as new ones "
                + "become available, and the new pod cannot start until the old one releases the volume"
                + (deadlock ? ": the rollout is deadlocked and will not finish on its own."
                : "; it waits until the old pod holding the volume happens to be scaled down.");
    }

    private static void evidence(Finding.Builder f, KubeObject workload, Conflict c) {
        if (c.claim().isPresent() && !c.claim().get().spec().accessModes().isEmpty()) {
            f.evidence(Evidence.field(c.claim().get(), "spec.accessModes", String.join(", ", c.claim().get().spec().accessModes())));
        } else {
            c.persistentVolume().filter(pv -> !pv.spec().accessModes().isEmpty()).ifPresent(pv ->
                    f.evidence(Evidence.field(pv, "spec.accessModes", String.join(", ", pv.spec().accessModes()))));
        }
        if (workload instanceof Deployment d) {
            String type = d.spec().strategy().type();
            f.evidence(Evidence.field(d, "spec.strategy.type", type.isEmpty() ? "RollingUpdate (default)" : type));
        }
        c.blocked().stream().filter(p -> !p.spec().nodeName().isEmpty()).limit(1)
                .forEach(p -> f.evidence(Evidence.field(p, "spec.nodeName", p.spec().nodeName())));
        c.holders().stream().flatMap(h -> h.pod().stream()).limit(2).forEach(p -> f.evidence(
                Evidence.field(p, "spec.nodeName", p.spec().nodeName().isEmpty() ? "(not scheduled)" : p.spec().nodeName())));
        if (!c.events().isEmpty()) {
            f.evidence(VolumeAttachConflict.newest(c.events()));
        }
    }

    private static void steps(Finding.Builder f, RolloutStatus status, Conflict c) {
        KubeObject workload = status.workload();
        String ns = workload.ref().namespaceFlag();
        if (c.holders().isEmpty()) {
            f.step("See which node the volume is attached to", "kubectl get volumeattachment -o custom-columns="
                    + "NAME:.metadata.name,PV:.spec.source.persistentVolumeName,NODE:.spec.nodeName,ATTACHED:.status.attached");
            f.step("If that node is down for good, confirm it is shut down and taint it node.kubernetes.io/out-of-service, "
                    + "so Kubernetes detaches its volumes; never do this to a node that still runs the old pod");
            f.step("See the attach events of the new pod", Kubectl.describe(c.blocked().get(0)));
        } else if (c.role() == Holder.Role.OLD) {
            oldPodSteps(f, workload, c, ns);
        } else if (c.role() == Holder.Role.SAME_REVISION) {
            f.step("Run a single replica while the storage attaches to one node only",
                    "kubectl scale " + Kubectl.target(workload.ref()) + ns + " --replicas=1");
            f.step("Or give each replica its own claim (a StatefulSet with volumeClaimTemplates), or use ReadWriteMany storage");
        } else {
            c.holders().stream().flatMap(h -> h.pod().stream()).findFirst().ifPresent(p ->
                    f.step("See which workload " + p.metadata().name() + " belongs to and whether it should use this claim",
                            Kubectl.describe(p)));
            f.step("Give each workload its own claim, or use ReadWriteMany storage if they must share the data");
        }
        f.step("Follow the rollout", Kubectl.rolloutStatus(workload.ref()));
    }

    private static void oldPodSteps(Finding.Builder f, KubeObject workload, Conflict c, String ns) {
        Holder holder = c.holders().get(0);
        if (!holder.replicaSet().isEmpty()) {
            f.step("Unblock now: scale the old ReplicaSet " + holder.replicaSet() + " to 0 so its pod releases the volume "
                    + "(the workload is down until the new pod has started)",
                    "kubectl scale replicaset " + holder.replicaSet() + ns + " --replicas=0");
        }
        f.step("Or delete the old pod " + holder.name() + (holder.replicaSet().isEmpty() ? ""
                        : " (its ReplicaSet may start a replacement that competes for the volume)"),
                "kubectl delete pod " + holder.name() + ns);
        if (workload instanceof Deployment d && !d.spec().strategy().isRecreate()) {
            f.step("Stop it happening on the next rollout: the Recreate strategy stops old pods before starting new ones",
                    Kubectl.patch(workload.ref(), RECREATE));
            f.step("Or, when each replica needs its own data, run it as a StatefulSet with volumeClaimTemplates; "
                    + "when pods must share the data, use ReadWriteMany storage");
        }
    }
}
