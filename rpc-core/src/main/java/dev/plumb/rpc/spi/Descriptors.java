package dev.plumb.rpc.spi;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Closing the descriptors that travel beside frames ({@link Connection#write(
 * dev.plumb.rpc.frame.Frame, RandomAccessFile[])}, {@link Connection#takeDescriptors}) when
 * nobody will use them: the files a sender handed over, and bare descriptors a link received.
 * Errors are dropped: each is a descriptor of this process's own that is only being let go.
 */
public final class Descriptors {
  private Descriptors() {}

  /** Closes every file; null elements are skipped. */
  public static void close(RandomAccessFile[] files) {
    for (RandomAccessFile file : files) {
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          // Nothing more to free.
        }
      }
    }
  }

  /** Closes the descriptors from index {@code from} on; a null array is none. */
  public static void close(FileDescriptor[] descriptors, int from) {
    if (descriptors == null) {
      return;
    }
    for (int i = from; i < descriptors.length; i++) {
      close(descriptors[i]);
    }
  }

  /** Closes a bare descriptor, through a stream over it: the one way Java has. */
  public static void close(FileDescriptor descriptor) {
    try {
      new FileInputStream(descriptor).close();
    } catch (IOException e) {
      // Nothing more to free.
    }
  }
}
