package dev.plumb.rpc.attach;

import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link AttachmentSupport} on the class path, looked up once: the class path stays. */
final class InstalledSupport {
  static final Optional<AttachmentSupport> SUPPORT =
      ServiceLoader.load(AttachmentSupport.class, AttachmentSupport.class.getClassLoader())
          .findFirst();

  private InstalledSupport() {}
}
