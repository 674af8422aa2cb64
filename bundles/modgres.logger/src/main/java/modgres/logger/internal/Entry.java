package modgres.logger.internal;

import org.osgi.service.log.LogLevel;

/**
 * What the logger needs of an OSGi {@code LogEntry}, as plain data so that
 * the logic can be tested without a framework.
 *
 * @param sequence  the Log Service's sequence number
 * @param time      when it was logged (epoch milliseconds)
 * @param level     the Log Service level
 * @param bundle    symbolic name of the bundle that logged it, or null
 * @param logger    the Logger's name ({@code Events.Bundle.x} for the framework's events), or null
 * @param message   the message (with a Modgres header, or a foreign text)
 * @param exception the exception logged with it, or null
 */
public record Entry(long sequence, long time, LogLevel level, String bundle, String logger, String message,
        Throwable exception) {
}
