package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pod's or a container's {@code securityContext}, with the fields Pod Security admission ("baseline" and
 * "restricted") reads. One record serves both levels: fields a level does not have stay empty. A container's
 * setting overrides the pod's where both exist; {@link #overriding(SecurityContext)} computes that.
 *
 * @param runAsNonRoot             both levels
 * @param runAsUser                both levels
 * @param runAsGroup               both levels
 * @param privileged               container only
 * @param allowPrivilegeEscalation container only
 * @param capabilitiesAdd          container only, as written ({@code NET_ADMIN}, ...)
 * @param capabilitiesDrop         container only, as written ({@code ALL}, ...)
 * @param seccompProfileType       both levels: {@code RuntimeDefault}, {@code Localhost}, {@code Unconfined}; "" when unset
 * @param appArmorProfileType      both levels: {@code RuntimeDefault}, {@code Localhost}, {@code Unconfined}; "" when unset
 * @param seLinuxType              both levels: {@code seLinuxOptions.type}; "" when unset
 * @param readOnlyRootFilesystem   container only
 * @param procMount                container only: {@code Default} or {@code Unmasked}; "" when unset
 * @param sysctls                  pod only: the names of the sysctls set
 * @param windowsHostProcess       both levels: {@code windowsOptions.hostProcess}
 */
public record SecurityContext(
        Optional<Boolean> runAsNonRoot,
        OptionalLong runAsUser,
        OptionalLong runAsGroup,
        Optional<Boolean> privileged,
        Optional<Boolean> allowPrivilegeEscalation,
        List<String> capabilitiesAdd,
        List<String> capabilitiesDrop,
        String seccompProfileType,
        String appArmorProfileType,
        String seLinuxType,
        Optional<Boolean> readOnlyRootFilesystem,
        String procMount,
        List<String> sysctls,
        Optional<Boolean> windowsHostProcess) {

    /** Nothing set. */
    public static final SecurityContext EMPTY = new SecurityContext(Optional.empty(), OptionalLong.empty(),
            OptionalLong.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), "", "", "",
            Optional.empty(), "", List.of(), Optional.empty());

    public SecurityContext {
        Objects.requireNonNull(runAsNonRoot, "runAsNonRoot");
        Objects.requireNonNull(runAsUser, "runAsUser");
        Objects.requireNonNull(runAsGroup, "runAsGroup");
        Objects.requireNonNull(privileged, "privileged");
        Objects.requireNonNull(allowPrivilegeEscalation, "allowPrivilegeEscalation");
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        capabilitiesDrop = List.copyOf(capabilitiesDrop);
        Objects.requireNonNull(seccompProfileType, "seccompProfileType");
        Objects.requireNonNull(appArmorProfileType, "appArmorProfileType");
        Objects.requireNonNull(seLinuxType, "seLinuxType");
        Objects.requireNonNull(readOnlyRootFilesystem, "readOnlyRootFilesystem");
        Objects.requireNonNull(procMount, "procMount");
        sysctls = List.copyOf(sysctls);
        Objects.requireNonNull(windowsHostProcess, "windowsHostProcess");
    }

    /**
     * The settings in effect for a container whose context is this one, in a pod whose context is {@code pod}:
     * each field the container sets wins, the rest come from the pod.
     */
    public SecurityContext overriding(SecurityContext pod) {
        return new SecurityContext(
                runAsNonRoot.or(pod::runAsNonRoot),
                runAsUser.isPresent() ? runAsUser : pod.runAsUser,
                runAsGroup.isPresent() ? runAsGroup : pod.runAsGroup,
                privileged,
                allowPrivilegeEscalation,
                capabilitiesAdd,
                capabilitiesDrop,
                seccompProfileType.isEmpty() ? pod.seccompProfileType : seccompProfileType,
                appArmorProfileType.isEmpty() ? pod.appArmorProfileType : appArmorProfileType,
                seLinuxType.isEmpty() ? pod.seLinuxType : seLinuxType,
                readOnlyRootFilesystem,
                procMount,
                pod.sysctls,
                windowsHostProcess.or(pod::windowsHostProcess));
    }
}
