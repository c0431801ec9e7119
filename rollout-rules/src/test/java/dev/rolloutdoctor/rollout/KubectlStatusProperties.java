package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.fixtures.gen.ForAll;
import dev.rolloutdoctor.fixtures.gen.Gen;
import dev.rolloutdoctor.fixtures.gen.PropertyTest;
import dev.rolloutdoctor.fixtures.gen.Statistics;
import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.IntOrPercent;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectMeta;
import dev.rolloutdoctor.model.OwnerReference;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.PodStatus;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of kubectl's verdict and of the "complete, old pods terminating" state, over generated workloads.
 * The oracle below is a second, separate transcription of kubectl's viewers (pkg/polymorphichelpers/rollout_status.go),
 * written as plain if/else in the order of the Go source.
 */
class KubectlStatusProperties {

    private static final Instant CAPTURED_AT = Instant.parse("2024-05-01T10:20:00Z");

    // ------------------------------------------------------------------ (a) KubectlStatus equals the oracle

    /** A workload and the --revision it is asked about. */
    record Asked(KubeObject workload, long revision) {
    }

    @PropertyTest(tries = 500)
    void kubectlStatusFollowsKubectlsRules(@ForAll("workloads") Asked asked) {
        KubectlVerdict ours = KubectlStatus.of(asked.workload(), asked.revision());
        KubectlVerdict oracle = Oracle.status(asked.workload(), asked.revision());

        Statistics.label("verdict", asked.workload().kind() + ": " + (oracle.error().isPresent() ? "error"
                : oracle.done() ? "done" : "waiting"));
        assertThat(ours).isEqualTo(oracle);
    }

    static Gen<Asked> workloads() {
        return Gen.oneOf(
                Gen.zip(deployments(), Gen.frequency(Gen.weighted(3, Gen.constant(0L)), Gen.weighted(1, Gen.longs(1, 3))),
                        Asked::new),
                statefulSets().map(s -> new Asked(s, 0)),
                daemonSets().map(d -> new Asked(d, 0)));
    }

    /** Small counters, with now and then the extremes (int32 arithmetic must wrap as Go's does). */
    private static Gen<Integer> count() {
        return Gen.frequency(Gen.weighted(20, Gen.integers(0, 5)),
                Gen.weighted(1, Gen.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1)));
    }

    private static Gen<Long> generation() {
        return Gen.longs(0, 4);
    }

    private static Gen<OptionalInt> optionalCount() {
        return count().optional().map(o -> o.isPresent() ? OptionalInt.of(o.get()) : OptionalInt.empty());
    }

    private static Gen<List<Condition>> progressing() {
        Gen<String> reason = Gen.of("ReplicaSetUpdated", "ProgressDeadlineExceeded", "NewReplicaSetAvailable",
                "DeploymentPaused", "");
        Gen<String> status = Gen.of("True", "False", "Unknown");
        return Gen.zip(reason, status, (r, s) -> Condition.of("Progressing", s, r, ""))
                .optional().map(c -> c.map(List::of).orElse(List.of()));
    }

    private static ObjectMeta meta(String name, long generation, Map<String, String> annotations) {
        ObjectMeta m = ObjectMeta.of("shop", name);
        return new ObjectMeta(m.name(), "", m.namespace(), "uid-" + name, "", generation, Optional.empty(),
                Optional.empty(), OptionalLong.empty(), new TreeMap<>(), new TreeMap<>(annotations), List.of(), List.of());
    }

    static Gen<Deployment> deployments() {
        Gen<Map<String, String>> annotations = Gen.of("1", "2", "3", "+2", "-1", "", "abc", " 2", "2x",
                "99999999999999999999", "9223372036854775807").optional()
                .map(v -> v.map(text -> Map.of(Deployment.REVISION_ANNOTATION, text)).orElse(Map.of()));
        Gen<ObjectMeta> meta = Gen.zip(generation(), annotations, (g, a) -> meta("web", g, a));
        Gen<Deployment.Spec> spec = Gen.zip(optionalCount(), Gen.booleans(), (replicas, paused) -> new Deployment.Spec(
                replicas, Optional.empty(), PodTemplate.EMPTY, new Deployment.Strategy("RollingUpdate", Optional.empty(),
                Optional.empty()), 0, OptionalInt.of(600), OptionalInt.empty(), paused));
        Gen<int[]> counters = count().listOf(4, 4).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Gen<Deployment.Status> status = Gen.zip(generation(), counters, progressing(), optionalCount(),
                (observed, c, conditions, terminating) -> new Deployment.Status(observed, c[0], c[1], c[2], c[3], 0,
                        terminating, conditions, OptionalInt.empty()));
        return Gen.zip(meta, spec, status, (m, sp, st) -> new Deployment("apps/v1", m, sp, st, Source.UNKNOWN));
    }

    static Gen<StatefulSet> statefulSets() {
        Gen<StatefulSet.UpdateStrategy> strategy = Gen.zip(Gen.of("RollingUpdate", "", "OnDelete"),
                optionalCount().map(p -> new StatefulSet.RollingUpdate(p, Optional.<IntOrPercent>empty())).optional(),
                StatefulSet.UpdateStrategy::new);
        Gen<StatefulSet.Spec> spec = Gen.zip(optionalCount(), strategy, (replicas, s) -> new StatefulSet.Spec(replicas,
                Optional.empty(), PodTemplate.EMPTY, "db", "OrderedReady", s, List.of(), 0));
        Gen<String> revision = Gen.of("db-1", "db-2", "");
        Gen<int[]> counters = count().listOf(5, 5).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Gen<StatefulSet.Status> status = Gen.zip(generation(), counters, revision, revision,
                (observed, c, current, update) -> new StatefulSet.Status(observed, c[0], c[1], c[2], c[3], c[4], current,
                        update, List.of()));
        return Gen.zip(generation(), spec, status, (g, sp, st) -> new StatefulSet("apps/v1", meta("db", g, Map.of()), sp,
                st, Source.UNKNOWN));
    }

    static Gen<DaemonSet> daemonSets() {
        Gen<DaemonSet.Spec> spec = Gen.of("RollingUpdate", "", "OnDelete").map(type -> new DaemonSet.Spec(
                Optional.empty(), PodTemplate.EMPTY, new DaemonSet.UpdateStrategy(type, Optional.empty(), Optional.empty()), 0));
        Gen<int[]> counters = count().listOf(3, 3).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Gen<DaemonSet.Status> status = Gen.zip(generation(), counters, (observed, c) -> new DaemonSet.Status(observed,
                c[0], 0, c[0], c[1], c[1], c[2], 0, List.of()));
        return Gen.zip(generation(), spec, status, (g, sp, st) -> new DaemonSet("apps/v1", meta("agent", g, Map.of()),
                sp, st, Source.UNKNOWN));
    }

    /** kubectl's viewers once more, straight from the Go source, sharing no code with {@link KubectlStatus}. */
    static final class Oracle {

        static KubectlVerdict status(KubeObject object, long revision) {
            if (object instanceof Deployment d) {
                return deployment(d, revision);
            }
            if (object instanceof StatefulSet s) {
                return statefulSet(s);
            }
            return daemonSet((DaemonSet) object);
        }

        static KubectlVerdict deployment(Deployment deployment, long revision) {
            String name = "\"" + deployment.metadata().name() + "\"";
            if (revision > 0) {
                String annotation = deployment.metadata().annotations().get(Deployment.REVISION_ANNOTATION);
                long deploymentRev = 0;
                if (annotation != null) {
                    Object parsed = parseInt(annotation);
                    if (parsed instanceof String err) {
                        return error("cannot get the revision of deployment " + name + ": " + err, false);
                    }
                    deploymentRev = (Long) parsed;
                }
                if (revision != deploymentRev) {
                    return error("desired revision (" + revision + ") is different from the running revision ("
                            + deploymentRev + ")", false);
                }
            }
            Deployment.Status st = deployment.status();
            if (deployment.metadata().generation() <= st.observedGeneration()) {
                Condition cond = st.conditions().stream().filter(c -> c.type().equals("Progressing")).findFirst()
                        .orElse(null);
                if (cond != null && cond.reason().equals("ProgressDeadlineExceeded")) {
                    return error("deployment " + name + " exceeded its progress deadline", false);
                }
                OptionalInt replicas = deployment.spec().replicas();
                if (replicas.isPresent() && st.updatedReplicas() < replicas.getAsInt()) {
                    return message(String.format("Waiting for deployment %s rollout to finish: %d out of %d new replicas"
                            + " have been updated...\n", name, st.updatedReplicas(), replicas.getAsInt()), false);
                }
                if (st.replicas() > st.updatedReplicas()) {
                    return message(String.format("Waiting for deployment %s rollout to finish: %d old replicas are"
                            + " pending termination...\n", name, st.replicas() - st.updatedReplicas()), false);
                }
                if (st.availableReplicas() < st.updatedReplicas()) {
                    return message(String.format("Waiting for deployment %s rollout to finish: %d of %d updated replicas"
                            + " are available...\n", name, st.availableReplicas(), st.updatedReplicas()), false);
                }
                return message(String.format("deployment %s successfully rolled out\n", name), true);
            }
            return message("Waiting for deployment spec update to be observed...\n", false);
        }

        static KubectlVerdict daemonSet(DaemonSet daemon) {
            // an absent type is the API default, as KubectlStatus documents
            String type = daemon.spec().updateStrategy().type().isEmpty() ? "RollingUpdate"
                    : daemon.spec().updateStrategy().type();
            if (!type.equals("RollingUpdate")) {
                return error("rollout status is only available for RollingUpdate strategy type", true);
            }
            DaemonSet.Status st = daemon.status();
            String name = "\"" + daemon.metadata().name() + "\"";
            if (daemon.metadata().generation() <= st.observedGeneration()) {
                if (st.updatedNumberScheduled() < st.desiredNumberScheduled()) {
                    return message(String.format("Waiting for daemon set %s rollout to finish: %d out of %d new pods have"
                            + " been updated...\n", name, st.updatedNumberScheduled(), st.desiredNumberScheduled()), false);
                }
                if (st.numberAvailable() < st.desiredNumberScheduled()) {
                    return message(String.format("Waiting for daemon set %s rollout to finish: %d of %d updated pods are"
                            + " available...\n", name, st.numberAvailable(), st.desiredNumberScheduled()), false);
                }
                return message(String.format("daemon set %s successfully rolled out\n", name), true);
            }
            return message("Waiting for daemon set spec update to be observed...\n", false);
        }

        static KubectlVerdict statefulSet(StatefulSet sts) {
            String type = sts.spec().updateStrategy().type().isEmpty() ? "RollingUpdate"
                    : sts.spec().updateStrategy().type();
            if (!type.equals("RollingUpdate")) {
                return error("rollout status is only available for RollingUpdate strategy type", true);
            }
            StatefulSet.Status st = sts.status();
            if (st.observedGeneration() == 0 || sts.metadata().generation() > st.observedGeneration()) {
                return message("Waiting for statefulset spec update to be observed...\n", false);
            }
            OptionalInt replicas = sts.spec().replicas();
            if (replicas.isPresent() && st.readyReplicas() < replicas.getAsInt()) {
                return message(String.format("Waiting for %d pods to be ready...\n", replicas.getAsInt() - st.readyReplicas()),
                        false);
            }
            StatefulSet.RollingUpdate rollingUpdate = sts.spec().updateStrategy().rollingUpdate().orElse(null);
            if (type.equals("RollingUpdate") && rollingUpdate != null) {
                if (replicas.isPresent() && rollingUpdate.partition().isPresent()) {
                    if (st.updatedReplicas() < replicas.getAsInt() - rollingUpdate.partition().getAsInt()) {
                        return message(String.format("Waiting for partitioned roll out to finish: %d out of %d new pods"
                                + " have been updated...\n", st.updatedReplicas(),
                                replicas.getAsInt() - rollingUpdate.partition().getAsInt()), false);
                    }
                }
                return message(String.format("partitioned roll out complete: %d new pods have been updated...\n",
                        st.updatedReplicas()), true);
            }
            if (!st.updateRevision().equals(st.currentRevision())) {
                return message(String.format("waiting for statefulset rolling update to complete %d pods at revision"
                        + " %s...\n", st.updatedReplicas(), st.updateRevision()), false);
            }
            return message(String.format("statefulset rolling update complete %d pods at revision %s...\n",
                    st.currentReplicas(), st.currentRevision()), true);
        }

        /**
         * {@code strconv.ParseInt(s, 10, 64)} for the plain ASCII values generated here: the value as a Long, or the
         * error text as a String. Go reads digits until one overflows 64 unsigned bits (range error) or a non-digit
         * comes (syntax error).
         */
        static Object parseInt(String s) {
            String quoted = "\"" + s + "\"";
            String syntax = "strconv.ParseInt: parsing " + quoted + ": invalid syntax";
            String range = "strconv.ParseInt: parsing " + quoted + ": value out of range";
            String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
            if (digits.isEmpty()) {
                return syntax;
            }
            int end = 0;
            while (end < digits.length() && Character.isDigit(digits.charAt(end)) && digits.charAt(end) < 128) {
                end++;
            }
            BigInteger maxUint64 = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
            for (int i = 1; i <= end; i++) {
                if (new BigInteger(digits.substring(0, i)).compareTo(maxUint64) > 0) {
                    return range;
                }
            }
            if (end < digits.length()) {
                return syntax;
            }
            BigInteger value = new BigInteger(s.startsWith("+") ? digits : s);
            if (value.bitLength() > 63) {
                return range;
            }
            return value.longValueExact();
        }

        private static KubectlVerdict message(String text, boolean done) {
            return new KubectlVerdict(text, done, Optional.empty());
        }

        private static KubectlVerdict error(String text, boolean done) {
            return new KubectlVerdict("", done, Optional.of(text));
        }
    }

    // ------------------------------------------------------------------ (b) old pods terminating

    /** A Deployment with its ReplicaSets and pods, and whether each old ReplicaSet reports terminating pods. */
    record Rollout(Snapshot snapshot, Deployment deployment, boolean oldPodDeleting, int oldReported) {
    }

    @PropertyTest(tries = 300)
    void oldPodsTerminatingIsReportedExactlyWhenKubectlIsDoneAndAnOldPodIsBeingDeleted(@ForAll("rollouts") Rollout r) {
        RolloutStatus status = RolloutStatuses.of(r.snapshot(), r.deployment());
        boolean kubectlDone = KubectlStatus.of(r.deployment()).succeeded();
        boolean oldTerminating = r.oldPodDeleting() || r.oldReported() > 0;

        Statistics.label("state", status.state());
        assertThat(status.state() == RolloutState.COMPLETE_OLD_PODS_TERMINATING).isEqualTo(kubectlDone && oldTerminating);
        assertThat(status.state() == RolloutState.COMPLETE).isEqualTo(kubectlDone && !oldTerminating);
    }

    static Gen<Rollout> rollouts() {
        return source -> {
            Deployment d = rolloutDeployment().generate(source);
            Snapshot.Builder builder = Snapshot.builder().capturedAt(CAPTURED_AT).add(d);
            boolean deleting = false;
            int reported = 0;
            boolean withNewReplicaSet = Gen.frequency(Gen.weighted(1, Gen.constant(false)),
                    Gen.weighted(4, Gen.constant(true))).generate(source);
            if (withNewReplicaSet) {
                ReplicaSet newRs = replicaSet("web-new", "v2", OptionalInt.empty());
                builder.add(newRs);
                int pods = Gen.integers(0, 3).generate(source);
                for (int i = 0; i < pods; i++) {
                    builder.add(pod("web-new-" + i, newRs, Gen.booleans().generate(source)));
                }
            }
            int olds = Gen.integers(0, 2).generate(source);
            for (int o = 0; o < olds; o++) {
                OptionalInt terminating = Gen.integers(0, 2).optional().generate(source)
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
                reported += terminating.orElse(0);
                ReplicaSet old = replicaSet("web-old" + o, "v1-" + o, terminating);
                builder.add(old);
                int pods = Gen.integers(0, 3).generate(source);
                for (int i = 0; i < pods; i++) {
                    boolean podDeleting = Gen.frequency(Gen.weighted(2, Gen.constant(false)),
                            Gen.weighted(1, Gen.constant(true))).generate(source);
                    deleting |= podDeleting;
                    builder.add(pod("web-old" + o + "-" + i, old, podDeleting));
                }
            }
            return new Rollout(builder.build(), d, deleting, reported);
        };
    }

    private static Gen<Deployment> rolloutDeployment() {
        Gen<int[]> counters = Gen.integers(0, 3).listOf(4, 4).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Gen<List<Condition>> conditions = Gen.frequency(
                Gen.weighted(4, Gen.of("ReplicaSetUpdated", "NewReplicaSetAvailable")),
                Gen.weighted(1, Gen.constant("ProgressDeadlineExceeded")))
                .map(reason -> List.of(Condition.of("Progressing", "True", reason, "")));
        Gen<Deployment.Status> status = Gen.zip(Gen.longs(1, 3), counters, conditions, (observed, c, cond) ->
                new Deployment.Status(observed, c[0], c[1], c[2], c[3], 0, OptionalInt.empty(), cond, OptionalInt.empty()));
        return Gen.zip(Gen.integers(0, 3), Gen.longs(1, 2), status, (replicas, generation, st) -> new Deployment(
                "apps/v1", owned("web", "uid-web", generation, Map.of(), Optional.empty()),
                new Deployment.Spec(OptionalInt.of(replicas), Optional.empty(), template("v2", ""),
                        new Deployment.Strategy("RollingUpdate", Optional.empty(), Optional.empty()), 0, OptionalInt.of(600),
                        OptionalInt.empty(), false),
                st, Source.UNKNOWN));
    }

    private static PodTemplate template(String version, String hash) {
        TreeMap<String, String> labels = new TreeMap<>(Map.of("app", "web"));
        if (!hash.isEmpty()) {
            labels.put(ReplicaSet.POD_TEMPLATE_HASH, hash);
        }
        return new PodTemplate(labels, new TreeMap<>(Map.of("example.com/version", version)), PodSpec.EMPTY);
    }

    private static ReplicaSet replicaSet(String name, String version, OptionalInt terminating) {
        ObjectMeta meta = owned(name, "uid-" + name, 1, Map.of(ReplicaSet.POD_TEMPLATE_HASH, name),
                Optional.of(new OwnerReference("apps/v1", "Deployment", "web", "uid-web", true)));
        return new ReplicaSet("apps/v1", meta, new ReplicaSet.Spec(OptionalInt.of(1), Optional.empty(),
                template(version.startsWith("v1") ? version : "v2", name), 0),
                new ReplicaSet.Status(1, 0, 0, 0, 0, terminating, List.of()), Source.UNKNOWN);
    }

    private static Pod pod(String name, ReplicaSet owner, boolean deleting) {
        ObjectMeta m = owned(name, "uid-" + name, 0, Map.of(),
                Optional.of(new OwnerReference("apps/v1", "ReplicaSet", owner.metadata().name(), owner.metadata().uid(), true)));
        ObjectMeta meta = new ObjectMeta(m.name(), "", m.namespace(), m.uid(), "", 0, Optional.empty(),
                deleting ? Optional.of(CAPTURED_AT.plusSeconds(20)) : Optional.empty(),
                deleting ? OptionalLong.of(30) : OptionalLong.empty(), m.labels(), m.annotations(), m.ownerReferences(),
                List.of());
        return new Pod("v1", meta, PodSpec.EMPTY, PodStatus.EMPTY, Source.UNKNOWN);
    }

    private static ObjectMeta owned(String name, String uid, long generation, Map<String, String> labels,
            Optional<OwnerReference> owner) {
        List<OwnerReference> owners = new ArrayList<>();
        owner.ifPresent(owners::add);
        return new ObjectMeta(name, "", "shop", uid, "", generation, Optional.empty(), Optional.empty(),
                OptionalLong.empty(), new TreeMap<>(labels), new TreeMap<>(), owners, List.of());
    }
}
