package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.model.StorageClass;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.PendingClaims.Problem;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.List;
import java.util.stream.Collectors;

/** The words of a {@code pvc-unbound} finding: why the claim is not bound, and what to do, per cause. */
final class ClaimSteps {

    private static final String IMMUTABLE = "storageClassName cannot be changed on an existing claim: delete the claim "
            + "(it never bound, so it holds no data) and create it again with the right class";

    private ClaimSteps() {
    }

    /** Why the claims are not bound, in the PV controller's terms. */
    static String why(Problem p, List<String> claims) {
        boolean one = claims.size() == 1;
        String these = one ? "The claim" : "The claims";
        return switch (p.why()) {
            case CLASS_NOT_FOUND -> these + (one ? " names" : " name") + " StorageClass " + p.subject()
                    + ", which does not exist, so the PV controller cannot provision a volume (it reports ProvisioningFailed: "
                    + "storageclass.storage.k8s.io \"" + p.subject() + "\" not found). " + p.detail();
            case NO_DEFAULT_CLASS -> these + (one ? " sets" : " set") + " no storageClassName and no StorageClass is marked default "
                    + "(storageclass.kubernetes.io/is-default-class), so nothing provisions a volume; only a pre-created "
                    + "PersistentVolume without a class could bind. " + p.detail();
            case NO_MATCHING_VOLUME -> (p.subject().isEmpty()
                    ? these + (one ? " asks" : " ask") + " for no class (storageClassName \"\"), so " + (one ? "it binds" : "they bind")
                    + " only to a pre-created PersistentVolume without a class that has the capacity and access modes asked for. "
                    : "StorageClass " + p.subject() + " has no provisioner (kubernetes.io/no-provisioner): its volumes are "
                    + "created by hand, and none matches. ") + p.detail();
            case PROVISIONING_FAILED -> "The provisioner tried to create the volume and failed: " + p.detail();
            case PROVISIONER_NOT_RUNNING -> "The PV controller handed the claim to the external provisioner " + p.subject()
                    + " (ExternalProvisioning), and only that provisioner creates the volume. " + provisionerState(p);
            case PROVISIONER_SLOW -> "The PV controller handed the claim to the external provisioner " + p.subject()
                    + " (ExternalProvisioning). " + provisionerState(p)
                    + " Its logs say why the volume is not created (a failing CSI call, missing cloud permissions, no capacity).";
            case CONSUMER_UNSCHEDULABLE -> "StorageClass " + p.storageClass().map(c -> c.metadata().name()).orElse("")
                    + " binds WaitForFirstConsumer: the volume is chosen or provisioned for the node the scheduler picks for "
                    + "the first pod using the claim, and the scheduler finds no node where that pod's volumes can be bound. "
                    + p.detail();
            case CLAIM_MISSING -> "No PersistentVolumeClaim " + PodVolumes.names(claims, 3) + " exists in the namespace; the "
                    + "scheduler rejects the pods (persistentvolumeclaim \"" + claims.get(0) + "\" not found). " + p.detail();
            case CLAIM_LOST -> these + " lost " + (one ? "its" : "their")
                    + " PersistentVolume: it no longer exists, and its data is gone unless the storage behind it was retained.";
            case CLAIM_DELETING -> these + (one ? " is" : " are") + " being deleted (deletionTimestamp set); the "
                    + "kubernetes.io/pvc-protection finalizer keeps " + (one ? "it" : "them") + " while pods use "
                    + (one ? "it" : "them") + ", and the scheduler rejects new pods that use " + (one ? "it." : "them.");
            case UNKNOWN -> these + (one ? " is" : " are") + " Pending, and the snapshot shows nothing that says why. "
                    + p.detail();
        };
    }

    private static String provisionerState(Problem p) {
        List<Pod> pods = p.provisionerPods();
        if (pods.isEmpty()) {
            return "No pod that looks like it is in the snapshot: it is not installed, or runs in a namespace that was "
                    + "not collected.";
        }
        String states = pods.stream().map(x -> x.ref().namespace() + "/" + x.metadata().name() + " (" + ProvisionerPods.state(x) + ")")
                .collect(Collectors.joining(", "));
        return "Its pods: " + states + ".";
    }

    /** The remediation steps, with commands filled with the real names. */
    static void add(Finding.Builder f, Snapshot snapshot, KubeObject workload, Problem p, List<String> claims, List<Pod> pods) {
        ObjectRef first = ObjectRef.of("PersistentVolumeClaim", workload.metadata().namespace(), claims.get(0));
        String ns = workload.ref().namespaceFlag();
        String deleteClaims = "kubectl delete pvc " + String.join(" ", claims) + ns;
        switch (p.why()) {
            case CLASS_NOT_FOUND -> {
                f.step("See which StorageClasses exist", "kubectl get storageclass");
                f.step("Point the claim at an existing class: " + IMMUTABLE, deleteClaims);
                manifestStep(f, workload);
                f.step("Or create StorageClass " + p.subject() + " with the provisioner your cluster uses");
            }
            case NO_DEFAULT_CLASS -> {
                f.step("See which StorageClasses exist", "kubectl get storageclass");
                defaultStep(f, snapshot);
                f.step("Or set storageClassName on the claim: " + IMMUTABLE, deleteClaims);
                manifestStep(f, workload);
            }
            case NO_MATCHING_VOLUME -> {
                f.step("See the PersistentVolumes and why none fits (class, capacity, access modes, claimRef)", "kubectl get pv");
                f.step("Create a PersistentVolume that fits " + requestText(p) + ", or give the claim a StorageClass that "
                        + "provisions: " + IMMUTABLE, deleteClaims);
            }
            case PROVISIONING_FAILED -> {
                f.step("Read the provisioner's error in full", Kubectl.describe(first));
                p.storageClass().ifPresent(c -> f.step("Check the class's provisioner and parameters", Kubectl.get(c.ref(), "yaml")));
                f.step("Fix the cause; the provisioner retries on its own, and the pods are scheduled once the claim binds");
            }
            case PROVISIONER_NOT_RUNNING, PROVISIONER_SLOW -> provisionerSteps(f, p, first);
            case CONSUMER_UNSCHEDULABLE -> {
                f.step("See where the scheduler tried to place the pod and why each node was refused",
                        Kubectl.describe(pods.get(0)));
                f.step("See the volumes of the class and the nodes they can be used from", "kubectl get pv -o wide");
                f.step("Create volumes the pod can use on a node it can run on (local volumes need one per node), "
                        + "or free capacity; the scheduler retries on its own");
            }
            case CLAIM_MISSING -> {
                f.step("List the claims of the namespace", "kubectl get pvc" + ns);
                if (workload instanceof StatefulSet) {
                    f.step("The StatefulSet controller creates these claims from volumeClaimTemplates before the pods: see why it "
                            + "could not", Kubectl.describe(workload));
                } else {
                    f.step("Create the claim, or fix claimName in the pod template to a claim that exists");
                }
            }
            case CLAIM_LOST -> {
                f.step("See the claim and the volume it was bound to", Kubectl.describe(first));
                f.step("Restore the volume from a backup, or delete the claim and let the workload's manifest create it again",
                        deleteClaims);
            }
            case CLAIM_DELETING -> {
                f.step("See who deleted the claim and what still holds it", Kubectl.get(first, "yaml"));
                f.step("Create the claim again from its manifest once the old one is gone");
            }
            case UNKNOWN -> {
                f.step("See the claim's events now", Kubectl.describe(first));
                f.step("See the StorageClasses and which one is default", "kubectl get storageclass");
            }
        }
        f.step("Follow the rollout once the claim is bound", Kubectl.rolloutStatus(workload.ref()));
    }

    private static void manifestStep(Finding.Builder f, KubeObject workload) {
        if (workload instanceof StatefulSet) {
            f.step("Fix storageClassName in the StatefulSet's volumeClaimTemplates too; they cannot be changed in place, so "
                    + "recreate the StatefulSet without deleting its pods, then apply the fixed manifest",
                    "kubectl delete statefulset " + workload.metadata().name() + workload.ref().namespaceFlag() + " --cascade=orphan");
        } else {
            f.step("Fix the class in the manifest the claim comes from (chart values, kustomization), or the next deploy "
                    + "brings the wrong claim back");
        }
    }

    private static void provisionerSteps(Finding.Builder f, Problem p, ObjectRef claim) {
        List<Pod> pods = p.provisionerPods();
        if (pods.isEmpty()) {
            String token = ProvisionerPods.token(p.subject()).orElse(p.subject());
            f.step("Find the provisioner's pods", "kubectl get pods -A -o wide | grep " + token);
            f.step("Check that the CSI driver is registered", "kubectl get csidrivers");
            f.step("Install or fix the provisioner " + p.subject() + "; the claim binds once it creates the volume");
        } else {
            Pod pod = pods.stream().filter(x -> !ProvisionerPods.running(x)).findFirst().orElse(pods.get(0));
            f.step("See why the provisioner's pod " + pod.metadata().name() + " is " + ProvisionerPods.state(pod),
                    Kubectl.describe(pod));
            f.step("Read its logs", "kubectl logs " + pod.metadata().name() + pod.ref().namespaceFlag() + " --all-containers");
        }
        f.step("See the claim's events", Kubectl.describe(claim));
    }

    private static void defaultStep(Finding.Builder f, Snapshot snapshot) {
        List<StorageClass> classes = snapshot.objects(StorageClass.class);
        if (classes.isEmpty()) {
            f.step("Create a StorageClass for your cluster's storage and mark it default (annotation "
                    + StorageClass.IS_DEFAULT_CLASS_ANNOTATION + ": \"true\")");
            return;
        }
        StorageClass c = classes.get(0);
        f.step("Mark a class default (here " + c.metadata().name() + "); since Kubernetes 1.28 the PV controller then "
                + "assigns it to claims without a class", Kubectl.patch(c.ref(),
                "{\"metadata\":{\"annotations\":{\"" + StorageClass.IS_DEFAULT_CLASS_ANNOTATION + "\":\"true\"}}}"));
    }

    private static String requestText(Problem p) {
        if (p.claim().isEmpty()) {
            return "the claim";
        }
        PersistentVolumeClaim c = p.claim().get();
        Quantity size = c.spec().requests().get("storage");
        String modes = String.join(", ", c.spec().accessModes());
        return "the claim (" + (size == null ? "" : size.text() + (modes.isEmpty() ? "" : ", ")) + modes + ")";
    }
}
