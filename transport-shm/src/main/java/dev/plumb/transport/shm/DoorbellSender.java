package dev.plumb.transport.shm;

import dev.plumb.rpc.kit.DaemonThreads;
import dev.plumb.rpc.kit.DescriptorLink;
import dev.plumb.rpc.spi.Descriptors;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection's doorbell bytes, and the descriptors of its frames, over the rendezvous
 * socket from a thread of its own, so that the threads that ask for them never block on the
 * socket: a flusher (which may hold the core's session lock), the core's writer of frames
 * with descriptors, and the reader. A peer that stops reading its socket fills the socket's
 * buffer; then only this thread waits, until closing the socket ends its write.
 *
 * <p>Doorbell requests are coalesced: at most one byte of each kind is pending, and a byte
 * sent after the last request is all a sleeper needs, because a woken reader (writer) polls
 * everything the ring holds (re-checks its room) before it announces again. Descriptors are
 * not: each frame's go in one write of their own, a {@link ShmConnection#DESCRIPTORS} byte that
 * carries them ({@code SCM_RIGHTS}), in the order they were handed over.
 */
final class DoorbellSender {
  private static final Logger log = LoggerFactory.getLogger(DoorbellSender.class);
  private static final int DATA = 1;
  private static final int SPACE = 2;
  private static final int FILES = 4;

  private final String name;
  private final OutputStream out;
  private final DescriptorLink link;
  /** Frames' descriptors not sent yet, in order; owned here until sent or closed. */
  private final ConcurrentLinkedQueue<RandomAccessFile[]> files = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  /** The kinds asked for and not yet taken by the thread (DATA, SPACE bits). */
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean stopped;

  DoorbellSender(String name, OutputStream out, DescriptorLink link) {
    this.name = name;
    this.out = out;
    this.link = link;
    this.thread = DaemonThreads.newThread(name + "-doorbell", this::sendLoop);
  }

  void start() {
    thread.start();
  }

  /** Asks for {@code doorbell} to be sent; never blocks. Any thread. */
  void request(byte doorbell) {
    ask(doorbell == ShmConnection.DOORBELL_DATA ? DATA : SPACE);
  }

  /**
   * Asks for a frame's descriptors to be sent, after those asked for earlier; never blocks. The
   * files are this sender's from now on: it closes them once sent, or when it stops.
   */
  void send(RandomAccessFile[] descriptors) {
    files.add(descriptors);
    // Checked after the add: stop sets the flag before closeUnsent looks at the queue, so one
    // of the two closes what was added as the sender stopped.
    if (stopped) {
      closeUnsent();
    } else {
      ask(FILES);
    }
  }

  private void ask(int kind) {
    // Only the request that finds nothing pending unparks: the thread takes every pending bit
    // at once, after which the next request finds 0 again. An unpark before the thread parks
    // leaves a permit, so no request is lost.
    if (pending.getAndAccumulate(kind, (bits, bit) -> bits | bit) == 0) {
      LockSupport.unpark(thread);
    }
  }

  /** Lets the thread end; one blocked in a write ends when the caller closes the socket. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  /** Closes the descriptors not sent; after {@link #stop} and the thread's end. Any thread. */
  void closeUnsent() {
    RandomAccessFile[] unsent;
    while ((unsent = files.poll()) != null) {
      Descriptors.close(unsent);
    }
  }

  Thread thread() {
    return thread;
  }

  private void sendLoop() {
    byte[] bytes = new byte[2];
    while (!stopped) {
      int bits = pending.getAndSet(0);
      if (bits == 0) {
        LockSupport.park(this);
        continue;
      }
      int length = 0;
      if ((bits & DATA) != 0) {
        bytes[length++] = ShmConnection.DOORBELL_DATA;
      }
      if ((bits & SPACE) != 0) {
        bytes[length++] = ShmConnection.DOORBELL_SPACE;
      }
      try {
        if ((bits & FILES) != 0) {
          sendFiles();
        }
        if (length > 0) {
          out.write(bytes, 0, length);
        }
      } catch (IOException e) {
        // The watcher sees the same broken socket and reports it; the connection's end closes
        // the descriptors left.
        log.debug("{}: doorbell or descriptors not sent: {}", name, e.getMessage());
        return;
      }
    }
  }

  /** Sends each frame's descriptors queued so far, one write each, and closes them. */
  private void sendFiles() throws IOException {
    RandomAccessFile[] next;
    while (!stopped && (next = files.poll()) != null) {
      try {
        FileDescriptor[] descriptors = new FileDescriptor[next.length];
        for (int i = 0; i < next.length; i++) {
          descriptors[i] = next[i].getFD();
        }
        // The link's next write carries them; the kernel holds its own references from then on.
        link.setOutbound(descriptors);
        out.write(ShmConnection.DESCRIPTORS);
      } finally {
        Descriptors.close(next);
      }
    }
  }
}
