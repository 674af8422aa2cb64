/**
 * The shared buffer pool: {@link modgres.shmem.buffer.SharedBufferPool} (a
 * plain class, usable without OSGi) and
 * {@link modgres.shmem.buffer.BufferPoolComponent}, the Declarative Services
 * component that publishes it as {@link modgres.api.buffer.BufferPool}. The
 * design (state word, locks, clock sweep, rings) is described in the
 * bundle's README.md. Nothing here is exported.
 */
package modgres.shmem.buffer;
