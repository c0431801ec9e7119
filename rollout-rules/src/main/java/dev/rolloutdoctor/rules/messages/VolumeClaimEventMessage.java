package dev.rolloutdoctor.rules.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the PersistentVolume controller, external provisioners and the scheduler's volume plugins write about claims,
 * read from event and condition messages: the provisioner a claim waits for, the StorageClass a provisioning error
 * says is missing, the pods a WaitForFirstConsumer claim waits on, and the volume reasons of a FailedScheduling
 * message. The wordings of several releases are matched (the ExternalProvisioning text changed in 1.25).
 */
public final class VolumeClaimEventMessage {

    /** FailedBinding of a claim that has no class and matches no pre-created volume. */
    public static final String NO_VOLUMES_AND_NO_CLASS = "no persistent volumes available for this claim and no storage class is set";

    /** The volumebinding plugin's PreFilter rejection for a pod whose Immediate claims are not bound yet. */
    public static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

    private static final Pattern EXTERNAL_OLD = Pattern.compile(
            "waiting for a volume to be created, either by external provisioner \"([^\"]+)\"");
    private static final Pattern EXTERNAL_NEW = Pattern.compile(
            "Waiting for a volume to be created,? either by (?:the )?external provisioner '([^']+)'");
    private static final Pattern CLASS_NOT_FOUND = Pattern.compile("storageclass(?:es)?\\.storage\\.k8s\\.io \"([^\"]+)\" not found");
    private static final Pattern WAITING_FOR_PODS = Pattern.compile("^waiting for pods? (\\S+) to be scheduled");
    private static final Pattern CLAIM_NOT_FOUND = Pattern.compile("persistentvolumeclaims? \"([^\"]+)\" not found");
    private static final Pattern BOUND_TO_MISSING_PV = Pattern.compile(
            "persistentvolumeclaim \"([^\"]+)\" bound to non-existent persistentvolume \"([^\"]*)\"");
    private static final Pattern CLAIM_DELETING = Pattern.compile("persistentvolumeclaim \"([^\"]+)\" is being deleted");

    /**
     * The volume-related reasons of the scheduler (volumebinding, volumezone, nodevolumelimits, volumerestrictions),
     * across releases. A FailedScheduling message holding one of them says storage is what keeps the pod off the nodes.
     */
    private static final List<String> SCHEDULING_REASONS = List.of(
            UNBOUND_IMMEDIATE,
            "pod has unbound PersistentVolumeClaims",
            "didn't find available persistent volumes to bind",
            "had volume node affinity conflict",
            "didn't match PersistentVolume's node affinity",
            "did not have enough free storage",
            "bound to non-existent pv(s)",
            "persistentvolumeclaim \"",
            "had no available volume zone",
            "exceed max volume count",
            "ReadWriteOncePod access mode");

    private static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod access mode";

    private VolumeClaimEventMessage() {
    }

    /** The provisioner of an {@code ExternalProvisioning} message, old or new wording. */
    public static Optional<String> externalProvisioner(String message) {
        String text = VolumeTexts.plain(message);
        Matcher m = EXTERNAL_NEW.matcher(text);
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        m = EXTERNAL_OLD.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The StorageClass a provisioning error says does not exist ({@code storageclass.storage.k8s.io "x" not found}). */
    public static Optional<String> missingStorageClass(String message) {
        Matcher m = CLASS_NOT_FOUND.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The pods a {@code WaitForPodScheduled} message names ({@code waiting for pods a,b to be scheduled}). */
    public static List<String> waitingForPods(String message) {
        Matcher m = WAITING_FOR_PODS.matcher(VolumeTexts.plain(message));
        if (!m.find()) {
            return List.of();
        }
        List<String> pods = new ArrayList<>();
        for (String p : m.group(1).split(",")) {
            if (!p.isBlank()) {
                pods.add(p.strip());
            }
        }
        return List.copyOf(pods);
    }

    /** True for the FailedBinding of a claim with no class that no pre-created volume matches. */
    public static boolean noVolumesAndNoClass(String message) {
        return message.contains(NO_VOLUMES_AND_NO_CLASS);
    }

    /** The claim a scheduler message says does not exist ({@code persistentvolumeclaim "x" not found}). */
    public static Optional<String> missingClaim(String schedulerMessage) {
        Matcher m = CLAIM_NOT_FOUND.matcher(schedulerMessage);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The claim a scheduler message says is bound to a volume that does not exist, and that volume. */
    public static Optional<List<String>> claimBoundToMissingVolume(String schedulerMessage) {
        Matcher m = BOUND_TO_MISSING_PV.matcher(schedulerMessage);
        return m.find() ? Optional.of(List.of(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The claim a scheduler message says is being deleted. */
    public static Optional<String> claimBeingDeleted(String schedulerMessage) {
        Matcher m = CLAIM_DELETING.matcher(schedulerMessage);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The volume-related reasons a FailedScheduling message holds, in the order of the list above; empty when none. */
    public static List<String> schedulingReasons(String schedulerMessage) {
        List<String> found = new ArrayList<>();
        for (String reason : SCHEDULING_REASONS) {
            if (schedulerMessage.contains(reason)) {
                found.add(reason);
            }
        }
        return List.copyOf(found);
    }

    /**
     * True when the scheduler refused a node because another pod there uses the same ReadWriteOncePod claim
     * ({@code node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode}).
     */
    public static boolean readWriteOncePodConflict(String schedulerMessage) {
        return schedulerMessage.contains(READ_WRITE_ONCE_POD);
    }
}
