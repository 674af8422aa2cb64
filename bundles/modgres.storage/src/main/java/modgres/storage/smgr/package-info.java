/**
 * The storage manager: relation forks as segment files under the data
 * directory, positional I/O through a bounded cache of open files, page
 * checksums set on write and verified on read.
 * {@link modgres.storage.smgr.MdStorage} is a plain class, usable without
 * OSGi; {@link modgres.storage.smgr.StorageManagerComponent} publishes it as
 * {@link modgres.api.page.StorageManager} and
 * {@link modgres.api.buffer.PageStore}. The design is in the bundle's
 * README.md. Nothing here is exported.
 */
package modgres.storage.smgr;
