/**
 * Plain-text output of the console commands: tables, the process tree,
 * {@code pg_settings}-style listings. No OSGi framework needed, so they are
 * unit tested on their own. Private to the bundle.
 */
package modgres.console.internal.format;
