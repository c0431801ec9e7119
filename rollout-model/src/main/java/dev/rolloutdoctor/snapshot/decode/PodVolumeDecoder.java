package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;

import java.util.List;
import java.util.Optional;

/** Decodes the volumes of a pod spec; part of {@link PodDecoder}. */
final class PodVolumeDecoder {

    private PodVolumeDecoder() {
    }

    /**
     * A volume and its source: the first source field written. A volume with none is an emptyDir, as Kubernetes'
     * defaulting ({@code SetDefaults_Volume}) makes it.
     */
    static Volume volume(Obj v) {
        for (String key : v.node().keys()) {
            if (!key.equals("name") && v.has(key)) {
                return new Volume(v.str("name"), source(key, v.obj(key)));
            }
        }
        return new Volume(v.str("name"), new VolumeSource.EmptyDirSource("", Optional.empty()));
    }

    private static VolumeSource source(String type, Obj s) {
        switch (type) {
            case "persistentVolumeClaim":
                return new VolumeSource.PersistentVolumeClaimSource(s.str("claimName"), s.bool("readOnly", false));
            case "configMap":
                return configMap(s);
            case "secret":
                return new VolumeSource.SecretSource(s.str("secretName"), s.bool("optional", false), keys(s));
            case "projected":
                return new VolumeSource.ProjectedSource(s.list("sources", PodVolumeDecoder::projection));
            case "emptyDir":
                return new VolumeSource.EmptyDirSource(s.str("medium"), s.quantity("sizeLimit"));
            case "hostPath":
                return new VolumeSource.HostPathSource(s.str("path"), s.str("type"));
            case "ephemeral":
                return ephemeral(s.obj("volumeClaimTemplate").obj("spec"));
            case "downwardAPI":
                return new VolumeSource.DownwardAPISource();
            default:
                return new VolumeSource.OtherSource(type);
        }
    }

    private static VolumeSource.ConfigMapSource configMap(Obj s) {
        return new VolumeSource.ConfigMapSource(s.str("name"), s.bool("optional", false), keys(s));
    }

    private static List<String> keys(Obj s) {
        return s.list("items", item -> item.str("key"));
    }

    /** One source of a projected volume; a projected Secret is named by {@code name}, not {@code secretName}. */
    private static VolumeSource projection(Obj p) {
        for (String key : p.node().keys()) {
            if (!p.has(key)) {
                continue;
            }
            Obj s = p.obj(key);
            switch (key) {
                case "configMap":
                    return configMap(s);
                case "secret":
                    return new VolumeSource.SecretSource(s.str("name"), s.bool("optional", false), keys(s));
                case "serviceAccountToken":
                    return new VolumeSource.ServiceAccountTokenSource(s.str("audience"), s.optLong("expirationSeconds"),
                            s.str("path"));
                case "downwardAPI":
                    return new VolumeSource.DownwardAPISource();
                default:
                    return new VolumeSource.OtherSource(key);
            }
        }
        p.ctx().problem(p.node(), p.path(), "expected a projection source such as configMap or secret, found none");
        return null;
    }

    private static VolumeSource.EphemeralSource ephemeral(Obj claimSpec) {
        Optional<Quantity> storage = claimSpec.obj("resources").obj("requests").quantity("storage");
        return new VolumeSource.EphemeralSource(claimSpec.optStr("storageClassName"), claimSpec.strList("accessModes"),
                storage);
    }
}
