package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.decode.ConfigDecoders;
import dev.rolloutdoctor.snapshot.decode.EventDecoder;
import dev.rolloutdoctor.snapshot.decode.GenericDecoder;
import dev.rolloutdoctor.snapshot.decode.NodeDecoder;
import dev.rolloutdoctor.snapshot.decode.Obj;
import dev.rolloutdoctor.snapshot.decode.PodDecoder;
import dev.rolloutdoctor.snapshot.decode.PolicyDecoders;
import dev.rolloutdoctor.snapshot.decode.StorageDecoders;
import dev.rolloutdoctor.snapshot.decode.WorkloadDecoders;

import java.util.Map;

/** The decoder for each kind the model knows; every other kind becomes a GenericObject. */
final class KindDecoders {

    /** Decodes the mapping of one object of a known kind. */
    interface Decoder {
        KubeObject decode(Obj root, Source source);
    }

    private static final Map<String, Decoder> BY_KIND = Map.ofEntries(
            Map.entry("Deployment", WorkloadDecoders::deployment),
            Map.entry("ReplicaSet", WorkloadDecoders::replicaSet),
            Map.entry("StatefulSet", WorkloadDecoders::statefulSet),
            Map.entry("DaemonSet", WorkloadDecoders::daemonSet),
            Map.entry("Pod", PodDecoder::decode),
            Map.entry("Event", EventDecoder::decode),
            Map.entry("Node", NodeDecoder::decode),
            Map.entry("PersistentVolumeClaim", StorageDecoders::persistentVolumeClaim),
            Map.entry("PersistentVolume", StorageDecoders::persistentVolume),
            Map.entry("StorageClass", StorageDecoders::storageClass),
            Map.entry("ResourceQuota", PolicyDecoders::resourceQuota),
            Map.entry("LimitRange", PolicyDecoders::limitRange),
            Map.entry("NetworkPolicy", PolicyDecoders::networkPolicy),
            Map.entry("Service", PolicyDecoders::service),
            Map.entry("ConfigMap", ConfigDecoders::configMap),
            Map.entry("Secret", ConfigDecoders::secret));

    private KindDecoders() {
    }

    static Decoder forKind(String kind) {
        return BY_KIND.getOrDefault(kind, GENERIC);
    }

    private static final Decoder GENERIC = GenericDecoder::decode;
}
