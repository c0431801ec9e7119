package dev.rolloutdoctor.model;

import java.util.Objects;

/** A volume of a pod ({@code spec.volumes[]}): its name and where its data comes from. */
public record Volume(String name, VolumeSource source) {

    public Volume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }
}
