package dev.rolloutdoctor.rules;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The metadata of a detector, declared on its class and checked when the detector is registered: a stable
 * kebab-case id (the contract reports and users rely on), a title, default severity, layer, and what the rule's
 * findings explain.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Rule {

    /** Stable kebab-case id, e.g. {@code image-pull-failed}. */
    String id();

    /** Short title, a noun phrase without a final period ("Image pull failed"). */
    String title();

    Severity severity();

    Layer layer();

    /** One or two sentences on what the rule means, for the catalogue. */
    String description();

    /** Cause, symptom or context; decides ranking. */
    Role role() default Role.CAUSE;

    /**
     * Ids of rules whose findings on the same workload this rule's findings explain: a finding of this rule then
     * outranks them and lists them under {@code explains}.
     */
    String[] explains() default {};
}
