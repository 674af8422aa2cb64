/**
 * The logger bundle's implementation: PostgreSQL's logger process (the
 * syslogger) over the OSGi Log Service. {@link modgres.logger.internal.LoggerComponent}
 * is the Declarative Services shell; {@link modgres.logger.internal.Syslogger}
 * decodes, filters and formats records; {@link modgres.logger.internal.Collector}
 * owns the rotated log files and the "logger" thread. Not exported.
 */
package modgres.logger.internal;
