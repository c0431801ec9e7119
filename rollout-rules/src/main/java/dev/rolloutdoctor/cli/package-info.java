/** The command line: {@code diagnose}, {@code status} and {@code rules}; exit codes 0, 1 and 2 as documented in the README. */
package dev.rolloutdoctor.cli;
