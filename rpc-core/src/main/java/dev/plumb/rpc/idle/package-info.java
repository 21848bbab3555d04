/**
 * How a thread that waits for work it expects soon spends that time on this machine: whether it
 * busy-spins or yields, and how long it stays awake before it blocks. Shared by the core (a
 * blocking caller waiting for its response) and by transports (the {@code shm:} readers, the
 * socket transports' {@code idle=poll} mode), so that every polling wait in Plumb follows one
 * rule. Depends on nothing else of Plumb.
 */
package dev.plumb.rpc.idle;
