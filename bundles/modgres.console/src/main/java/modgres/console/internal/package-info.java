/**
 * The console bundle's OSGi glue: the Gogo commands component
 * ({@code modgres:status}, {@code features}, {@code ptree}, {@code settings},
 * {@code show}, {@code reload}, {@code shutdown}) and the component that
 * serves Gogo sessions on the data directory's owner-only Unix socket.
 * Private to the bundle; the work is done by the plain classes of the
 * {@code format} and {@code socket} packages.
 */
package modgres.console.internal;
