package modgres.console.internal.format;

import org.osgi.framework.Bundle;

/**
 * What the console shows of one installed bundle (a snapshot, so formatting
 * needs no framework).
 *
 * @param id           bundle id
 * @param symbolicName Bundle-SymbolicName
 * @param version      Bundle-Version
 * @param state        state name as {@link #stateName(int)} gives it
 */
public record BundleInfo(long id, String symbolicName, String version, String state) {

    /** Shown for a bundle that a feature lists but that is not installed. */
    public static final String NOT_INSTALLED = "NOT INSTALLED";

    /** The name of an OSGi bundle state: ACTIVE, RESOLVED, INSTALLED, ... */
    public static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
