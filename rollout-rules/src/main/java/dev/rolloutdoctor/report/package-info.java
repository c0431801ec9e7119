/**
 * Renderers of a {@link dev.rolloutdoctor.rules.Diagnosis}: a terminal text report, the JSON report of the contract
 * (ARCHITECTURE.md section 3.2, schema in {@code report.schema.json}), and a Markdown postmortem draft. Every renderer
 * is deterministic: the same diagnosis gives byte-identical output.
 */
package dev.rolloutdoctor.report;
