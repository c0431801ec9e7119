/**
 * Scheduling capacity read from a snapshot, the way the scheduler reads it: a pod's effective requests
 * ({@link dev.rolloutdoctor.rules.capacity.PodRequests}), each node's allocatable, requested and free resources, and
 * whether a pod fits a node and why not ({@link dev.rolloutdoctor.rules.capacity.NodeFit}), and the pods the scheduler
 * could not place with its latest word on them ({@link dev.rolloutdoctor.rules.capacity.UnscheduledPod}). Shared by
 * the scheduling detectors.
 */
package dev.rolloutdoctor.rules.capacity;
