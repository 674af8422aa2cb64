/**
 * The owner-only console socket: a Unix-domain listener in the data
 * directory that runs one command shell per connection. It talks to Gogo only
 * through {@link modgres.console.internal.socket.ConsoleShellFactory}, so it is
 * unit tested without a framework. Private to the bundle.
 */
package modgres.console.internal.socket;
