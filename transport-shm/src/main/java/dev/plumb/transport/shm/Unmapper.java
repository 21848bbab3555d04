package dev.plumb.transport.shm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmaps a {@link MappedByteBuffer} at once, instead of whenever the garbage collector finds it
 * unreachable: Java 17 has no public way to, so this calls {@code sun.misc.Unsafe.invokeCleaner}
 * (module {@code jdk.unsupported}, what Netty and Agrona use), found reflectively so that the
 * build needs no internal API. From JDK 24 the first call prints a one-time warning that the
 * method will be removed; where it is gone or refused, {@link #unmap} returns false and the
 * mapping is left to the garbage collector as before.
 *
 * <p>After an unmap the buffer's address is no longer mapped: touching it through the buffer or
 * any view of it crashes the JVM. The caller must guarantee that no thread does
 * ({@link ShmConnection} explains how it does).
 */
final class Unmapper {
  private static final Logger log = LoggerFactory.getLogger(Unmapper.class);
  /** {@code theUnsafe.invokeCleaner}, of type (ByteBuffer)void; null where unavailable. */
  private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

  private Unmapper() {}

  private static MethodHandle findInvokeCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      return MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
          MethodType.methodType(void.class, ByteBuffer.class)).bindTo(theUnsafe.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("shm: segments are unmapped by the garbage collector only: {}", e.toString());
      return null;
    }
  }

  /**
   * Unmaps {@code mapped} (the buffer {@code FileChannel.map} returned, not a view of it).
   *
   * @return false if it stays mapped until the garbage collector frees it
   */
  static boolean unmap(MappedByteBuffer mapped) {
    if (INVOKE_CLEANER == null) {
      return false;
    }
    try {
      INVOKE_CLEANER.invokeExact((ByteBuffer) mapped);
      return true;
    } catch (RuntimeException e) {
      log.debug("shm: a segment stays mapped until a garbage collection: {}", e.toString());
      return false;
    } catch (Throwable e) {
      // invokeCleaner declares no checked exception: only an Error gets here, not ours to hide.
      throw (Error) e;
    }
  }
}
