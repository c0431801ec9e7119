package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.EnvFromSource;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The objects a pod template refers to by name: ConfigMaps, Secrets, claims and the service account. */
final class References {

    private References() {
    }

    static List<ObjectRef> added(PodTemplate before, PodTemplate after, String namespace) {
        TreeSet<ObjectRef> now = of(after, namespace);
        now.removeAll(of(before, namespace));
        return List.copyOf(new ArrayList<>(now));
    }

    static TreeSet<ObjectRef> of(PodTemplate template, String namespace) {
        TreeSet<ObjectRef> out = new TreeSet<>();
        for (Container c : template.spec().allContainers()) {
            for (EnvVar v : c.env()) {
                v.keyReference().ifPresent(k -> out.add(k.ref(namespace)));
            }
            for (EnvFromSource e : c.envFrom()) {
                out.add(e.ref(namespace));
            }
        }
        for (Volume v : template.spec().volumes()) {
            volume(v.source(), namespace, out);
        }
        for (String secret : template.spec().imagePullSecrets()) {
            out.add(ObjectRef.of("Secret", namespace, secret));
        }
        out.add(ObjectRef.of("ServiceAccount", namespace, template.spec().effectiveServiceAccountName()));
        return out;
    }

    private static void volume(VolumeSource source, String namespace, TreeSet<ObjectRef> out) {
        if (source instanceof VolumeSource.ConfigMapSource c) {
            out.add(ObjectRef.of("ConfigMap", namespace, c.name()));
        } else if (source instanceof VolumeSource.SecretSource s) {
            out.add(ObjectRef.of("Secret", namespace, s.secretName()));
        } else if (source instanceof VolumeSource.PersistentVolumeClaimSource p) {
            out.add(ObjectRef.of("PersistentVolumeClaim", namespace, p.claimName()));
        } else if (source instanceof VolumeSource.ProjectedSource p) {
            p.sources().forEach(s -> volume(s, namespace, out));
        }
    }
}
