package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ConfigMap;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.detectors.VolumeMountFailed.Failure;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage.Cause;
import dev.rolloutdoctor.snapshot.ReferenceCheck;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the ConfigMaps and Secrets a stuck pod's volumes take against the snapshot, for when no event names the
 * failure: a missing object or key is then inferred, never guessed. Only what the snapshot can tell is reported: a
 * kind the input did not collect in the pod's namespace, or the cluster's own {@code kube-root-ca.crt}, is skipped.
 */
final class MountInference {

    /** Present in every namespace, and often left out of collections: never reported missing. */
    private static final String ROOT_CA = "kube-root-ca.crt";

    private MountInference() {
    }

    static List<Failure> missingObjects(Snapshot snapshot, Pod pod) {
        List<Failure> out = new ArrayList<>();
        for (Volume v : pod.spec().volumes()) {
            missingObject(snapshot, pod, v).ifPresent(out::add);
        }
        return out;
    }

    /** The first missing ConfigMap, Secret or key the volume takes, if the snapshot can tell. */
    static Optional<Failure> missingObject(Snapshot snapshot, Pod pod, Volume volume) {
        for (VolumeSource source : sources(volume.source())) {
            Optional<Cause> cause = Optional.empty();
            Confidence confidence = Confidence.MEDIUM;
            if (source instanceof VolumeSource.ConfigMapSource cm && !cm.optional() && !ROOT_CA.equals(cm.name())) {
                Lookup l = lookup(snapshot, "ConfigMap", pod.metadata().namespace(), cm.name());
                cause = l.cause("ConfigMap", cm.name(), cm.keys(), Cause.Type.CONFIGMAP_NOT_FOUND, Cause.Type.CONFIGMAP_KEY_NOT_FOUND);
                confidence = l.confirmed() ? Confidence.HIGH : Confidence.MEDIUM;
            } else if (source instanceof VolumeSource.SecretSource s && !s.optional()) {
                Lookup l = lookup(snapshot, "Secret", pod.metadata().namespace(), s.secretName());
                cause = l.cause("Secret", s.secretName(), s.keys(), Cause.Type.SECRET_NOT_FOUND, Cause.Type.SECRET_KEY_NOT_FOUND);
                confidence = l.confirmed() ? Confidence.HIGH : Confidence.MEDIUM;
            }
            if (cause.isPresent()) {
                return Optional.of(new Failure("MountVolume.SetUp", volume.name(), cause.get(), Optional.of(volume),
                        confidence, Set.of(pod), List.of()));
            }
        }
        return Optional.empty();
    }

    private static List<VolumeSource> sources(VolumeSource source) {
        if (source instanceof VolumeSource.ProjectedSource p) {
            return p.sources();
        }
        return List.of(source);
    }

    /**
     * What the snapshot knows of one object.
     *
     * @param known     whether the snapshot can tell at all (a reference check, or the kind collected in the namespace)
     * @param keys      the object's keys when it is present
     * @param confirmed whether a collector checked this very object
     */
    private record Lookup(boolean known, Optional<List<String>> keys, boolean confirmed) {

        Optional<Cause> cause(String kind, String name, List<String> wanted, Cause.Type missing, Cause.Type missingKey) {
            if (!known) {
                return Optional.empty();
            }
            if (keys.isEmpty()) {
                return Optional.of(new Cause(missing, name, kind + " " + name + " is not in the snapshot"));
            }
            for (String key : wanted) {
                if (!keys.get().isEmpty() && !keys.get().contains(key)) {
                    return Optional.of(new Cause(missingKey, key, kind + " " + name + " has no key " + key));
                }
            }
            return Optional.empty();
        }
    }

    private static Lookup lookup(Snapshot snapshot, String kind, String ns, String name) {
        for (ReferenceCheck check : snapshot.referenceChecks()) {
            if (check.kind().equals(kind) && check.namespace().equals(ns) && check.name().equals(name)) {
                if (!check.exists()) {
                    return new Lookup(true, Optional.empty(), true);
                }
            }
        }
        Optional<List<String>> keys = "ConfigMap".equals(kind)
                ? snapshot.get(ConfigMap.class, kind, ns, name).map(ConfigMap::keys)
                : snapshot.get(Secret.class, kind, ns, name).map(Secret::keys);
        boolean collectedHere = snapshot.objectsOfKind(kind).stream().anyMatch(o -> o.metadata().namespace().equals(ns));
        return new Lookup(keys.isPresent() || collectedHere, keys, false);
    }
}
