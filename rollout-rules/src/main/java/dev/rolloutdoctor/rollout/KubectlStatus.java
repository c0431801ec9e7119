package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.StatefulSet;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code kubectl rollout status --watch=false}, computed offline: the status viewers of kubectl's
 * {@code pkg/polymorphichelpers/rollout_status.go} transcribed check by check, with their exact messages.
 *
 * <p>One deliberate reading: an update strategy {@code type} absent from the dump ("" in our records) is taken as
 * {@code RollingUpdate}, the value the API server defaults it to on every stored object. kubectl never sees an
 * absent type from a live cluster; a trimmed dump should not turn into the OnDelete error.
 */
public final class KubectlStatus {

    static final String ROLLING_UPDATE = "RollingUpdate";
    static final String TIMED_OUT_REASON = "ProgressDeadlineExceeded";
    private static final String ONLY_ROLLING_UPDATE = "rollout status is only available for RollingUpdate strategy type";

    private KubectlStatus() {
    }

    /**
     * The Deployment viewer. {@code revision} is {@code --revision}: 0 (or less) means not pinned; otherwise the
     * Deployment's {@code deployment.kubernetes.io/revision} annotation must equal it (an absent annotation is
     * revision 0).
     */
    public static KubectlVerdict of(Deployment deployment, long revision) {
        String name = GoText.quote(deployment.metadata().name());
        if (revision > 0) {
            Optional<String> annotation = deployment.metadata().annotation(Deployment.REVISION_ANNOTATION);
            GoText.ParsedInt running = annotation.map(GoText::parseInt64).orElse(new GoText.ParsedInt(0, ""));
            if (!running.ok()) {
                return KubectlVerdict.failed("cannot get the revision of deployment " + name + ": " + running.error(), false);
            }
            if (revision != running.value()) {
                return KubectlVerdict.failed("desired revision (" + revision + ") is different from the running revision ("
                        + running.value() + ")", false);
            }
        }
        Deployment.Status status = deployment.status();
        if (deployment.metadata().generation() > status.observedGeneration()) {
            return KubectlVerdict.waiting("Waiting for deployment spec update to be observed...\n");
        }
        Optional<Condition> progressing = status.condition("Progressing");
        if (progressing.isPresent() && TIMED_OUT_REASON.equals(progressing.get().reason())) {
            return KubectlVerdict.failed("deployment " + name + " exceeded its progress deadline", false);
        }
        OptionalInt replicas = deployment.spec().replicas();
        if (replicas.isPresent() && status.updatedReplicas() < replicas.getAsInt()) {
            return KubectlVerdict.waiting("Waiting for deployment " + name + " rollout to finish: " + status.updatedReplicas()
                    + " out of " + replicas.getAsInt() + " new replicas have been updated...\n");
        }
        if (status.replicas() > status.updatedReplicas()) {
            return KubectlVerdict.waiting("Waiting for deployment " + name + " rollout to finish: "
                    + (status.replicas() - status.updatedReplicas()) + " old replicas are pending termination...\n");
        }
        if (status.availableReplicas() < status.updatedReplicas()) {
            return KubectlVerdict.waiting("Waiting for deployment " + name + " rollout to finish: " + status.availableReplicas()
                    + " of " + status.updatedReplicas() + " updated replicas are available...\n");
        }
        return KubectlVerdict.done("deployment " + name + " successfully rolled out\n");
    }

    /** The Deployment viewer without {@code --revision}. */
    public static KubectlVerdict of(Deployment deployment) {
        return of(deployment, 0);
    }

    /** The DaemonSet viewer ({@code --revision} is ignored: "DaemonSets does not have history yet"). */
    public static KubectlVerdict of(DaemonSet daemonSet) {
        if (!isRollingUpdate(daemonSet.spec().updateStrategy().type())) {
            return KubectlVerdict.failed(ONLY_ROLLING_UPDATE, true);
        }
        DaemonSet.Status status = daemonSet.status();
        if (daemonSet.metadata().generation() > status.observedGeneration()) {
            return KubectlVerdict.waiting("Waiting for daemon set spec update to be observed...\n");
        }
        String name = GoText.quote(daemonSet.metadata().name());
        if (status.updatedNumberScheduled() < status.desiredNumberScheduled()) {
            return KubectlVerdict.waiting("Waiting for daemon set " + name + " rollout to finish: "
                    + status.updatedNumberScheduled() + " out of " + status.desiredNumberScheduled()
                    + " new pods have been updated...\n");
        }
        if (status.numberAvailable() < status.desiredNumberScheduled()) {
            return KubectlVerdict.waiting("Waiting for daemon set " + name + " rollout to finish: " + status.numberAvailable()
                    + " of " + status.desiredNumberScheduled() + " updated pods are available...\n");
        }
        return KubectlVerdict.done("daemon set " + name + " successfully rolled out\n");
    }

    /**
     * The StatefulSet viewer. With a {@code rollingUpdate} block (which the API server always defaults, with
     * partition 0) it counts updated pods against the partition; only without one does it compare revisions.
     */
    public static KubectlVerdict of(StatefulSet statefulSet) {
        StatefulSet.UpdateStrategy strategy = statefulSet.spec().updateStrategy();
        if (!isRollingUpdate(strategy.type())) {
            return KubectlVerdict.failed(ONLY_ROLLING_UPDATE, true);
        }
        StatefulSet.Status status = statefulSet.status();
        if (status.observedGeneration() == 0 || statefulSet.metadata().generation() > status.observedGeneration()) {
            return KubectlVerdict.waiting("Waiting for statefulset spec update to be observed...\n");
        }
        OptionalInt replicas = statefulSet.spec().replicas();
        if (replicas.isPresent() && status.readyReplicas() < replicas.getAsInt()) {
            return KubectlVerdict.waiting("Waiting for " + (replicas.getAsInt() - status.readyReplicas())
                    + " pods to be ready...\n");
        }
        if (strategy.rollingUpdate().isPresent()) {
            OptionalInt partition = strategy.rollingUpdate().get().partition();
            if (replicas.isPresent() && partition.isPresent()) {
                int above = replicas.getAsInt() - partition.getAsInt();
                if (status.updatedReplicas() < above) {
                    return KubectlVerdict.waiting("Waiting for partitioned roll out to finish: " + status.updatedReplicas()
                            + " out of " + above + " new pods have been updated...\n");
                }
            }
            return KubectlVerdict.done("partitioned roll out complete: " + status.updatedReplicas()
                    + " new pods have been updated...\n");
        }
        if (!status.updateRevision().equals(status.currentRevision())) {
            return KubectlVerdict.waiting("waiting for statefulset rolling update to complete " + status.updatedReplicas()
                    + " pods at revision " + status.updateRevision() + "...\n");
        }
        return KubectlVerdict.done("statefulset rolling update complete " + status.currentReplicas()
                + " pods at revision " + status.currentRevision() + "...\n");
    }

    /**
     * The viewer for any object, as {@code StatusViewerFor} picks it; {@code revision} only matters for Deployments.
     * Other kinds get kubectl's error {@code no status viewer has been implemented for <Kind.group>}.
     */
    public static KubectlVerdict of(KubeObject workload, long revision) {
        if (workload instanceof Deployment d) {
            return of(d, revision);
        }
        if (workload instanceof StatefulSet s) {
            return of(s);
        }
        if (workload instanceof DaemonSet ds) {
            return of(ds);
        }
        return KubectlVerdict.failed("no status viewer has been implemented for " + groupKind(workload), false);
    }

    /**
     * The text kubectl writes for a verdict with {@code --watch=false}: the message on stdout as is, or
     * {@code error: <error>} on stderr; either way ending in {@code "\n"}.
     */
    public static String commandLine(KubectlVerdict verdict) {
        return verdict.error().map(e -> "error: " + e + "\n").orElse(verdict.message());
    }

    /** kubectl's exit code for a verdict with {@code --watch=false}: 1 when it fails, else 0 (even when not done). */
    public static int exitCode(KubectlVerdict verdict) {
        return verdict.failed() ? 1 : 0;
    }

    /** Whether a strategy type means rolling updates; "" is the API default, RollingUpdate. */
    static boolean isRollingUpdate(String strategyType) {
        return strategyType.isEmpty() || ROLLING_UPDATE.equals(strategyType);
    }

    /** {@code schema.GroupKind.String()}: {@code Kind.group}, or just {@code Kind} for the core group. */
    private static String groupKind(KubeObject object) {
        String apiVersion = object.apiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return group.isEmpty() ? object.kind() : object.kind() + "." + group;
    }
}
