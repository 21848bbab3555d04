package dev.plumb.rpc.config;

import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.PlumbServerBuilder;
import dev.plumb.rpc.kit.Units;
import io.grpc.ChannelCredentials;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumb's settings for this process: the channel's target, the server's listen addresses and
 * the options of {@link PlumbChannelBuilder} and {@link PlumbServerBuilder}, each read from, in
 * order of precedence,
 * <ol>
 *   <li>the application's own argument ({@link Loader#target}, {@link Loader#set}, ...),
 *   <li>a Java system property ({@code -Dplumb.target=...}),
 *   <li>an environment variable ({@code PLUMB_TARGET}; the key in upper case with words split
 *       at capitals: {@code plumb.maxInboundMessageSize} is
 *       {@code PLUMB_MAX_INBOUND_MESSAGE_SIZE}),
 *   <li>a properties file: the path in {@code plumb.config} / {@code PLUMB_CONFIG}, else
 *       {@code plumb.properties} on the class path,
 *   <li>the application's default ({@link Loader#setDefault}).
 * </ol>
 * Each key is taken from the highest source that sets it. Switching transport is then a
 * matter of configuration:
 *
 * <pre>{@code
 * // client: plumb.target, e.g. -Dplumb.target=unix:///run/calc.sock
 * ManagedChannel channel = PlumbConfiguration.load().channelBuilder().build();
 *
 * // server: plumb.listen, here with the first command-line argument first
 * Server server = PlumbConfiguration.newLoader()
 *     .listen(args.length > 0 ? args[0] : null)
 *     .load()
 *     .serverBuilder()
 *     .addService(new CalculatorImpl())
 *     .build().start();
 * }</pre>
 *
 * <p>Loading checks everything it reads: an unknown {@code plumb.*} key (in a system property,
 * the file or an argument) and a malformed value in any source are errors, reported together
 * in one {@link ConfigurationException} that names each key, its source and the accepted form.
 * Unknown {@code PLUMB_*} environment variables are only logged, since environments are
 * inherited by unrelated processes. A missing target or listen address, an address no
 * transport on the class path accepts, and settings the builders reject together (a frame
 * smaller than the metadata limit) are reported when {@link #channelBuilder()} or
 * {@link #serverBuilder()} is called. docs/CONFIGURATION.md lists every key.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlumbConfiguration {
  static final Logger log = LoggerFactory.getLogger(PlumbConfiguration.class);

  /** The value of a {@link ConfigKey.Kind#DURATION_OR_OFF} key that means "never". */
  private static final String OFF = "off";
  /**
   * Commas separate addresses, but an address may hold commas itself (allowUids=1000,1001),
   * so a list is split only at a comma followed by something that starts like a URI.
   */
  private static final Pattern ADDRESS_SEPARATOR =
      Pattern.compile(",\\s*(?=[A-Za-z][A-Za-z0-9+.-]*:)");

  /** A value read from one source, checked and converted. */
  static final class Setting {
    final ConfigKey key;
    final String text;
    final Object value;
    final Source source;

    Setting(ConfigKey key, String text, Object value, Source source) {
      this.key = key;
      this.text = text;
      this.value = value;
      this.source = source;
    }

    String describe() {
      return key.key + "=" + text + " (" + source + ")";
    }
  }

  private final Map<ConfigKey, Setting> settings;
  private final PropertiesFile file;

  private PlumbConfiguration(Map<ConfigKey, Setting> settings, PropertiesFile file) {
    this.settings = Collections.unmodifiableMap(settings);
    this.file = file;
  }

  /**
   * The configuration of this process, from its system properties, environment and file.
   *
   * @throws ConfigurationException naming every unknown key and malformed value
   */
  public static PlumbConfiguration load() {
    return newLoader().load();
  }

  /** A loader, for arguments and defaults of the application's own, or other sources. */
  public static Loader newLoader() {
    return new Loader();
  }

  /** The channel's target ({@code plumb.target}), if any source sets it. */
  public Optional<String> target() {
    Setting target = settings.get(ConfigKey.TARGET);
    return target == null ? Optional.empty() : Optional.of((String) target.value);
  }

  /**
   * The transport that carries the IP addresses of gRPC's own name resolvers
   * ({@code plumb.ipTransport}, e.g. {@code tcp}), if any source sets it.
   */
  public Optional<String> ipTransport() {
    Setting transport = settings.get(ConfigKey.IP_TRANSPORT);
    return transport == null ? Optional.empty() : Optional.of((String) transport.value);
  }

  /** The server's listen addresses ({@code plumb.listen}); empty if no source sets it. */
  @SuppressWarnings("unchecked")
  public List<String> listenAddresses() {
    Setting listen = settings.get(ConfigKey.LISTEN);
    return listen == null ? List.of() : (List<String>) listen.value;
  }

  /**
   * A channel builder for {@code plumb.target} with the configured client options. Options
   * set on the returned builder override the configuration.
   *
   * @throws ConfigurationException if no target is set, no transport accepts it, or the
   *     builder rejects an option, naming the key and its source
   */
  public PlumbChannelBuilder channelBuilder() {
    Setting target = require(ConfigKey.TARGET, "the channel's target");
    TlsSettings tls = tls();
    Optional<ChannelCredentials> credentials = tls.channelCredentials();
    PlumbChannelBuilder builder = applying(target, credentials.isEmpty() ? null : tls.describe(),
        () -> credentials.isEmpty() ? PlumbChannelBuilder.forTarget((String) target.value)
            : PlumbChannelBuilder.forTarget((String) target.value, credentials.get()));
    apply(ConfigKey.IP_TRANSPORT, v -> builder.ipTransport((String) v));
    // Metadata before frame size: a larger metadata limit raises the frame size with it.
    apply(ConfigKey.MAX_INBOUND_METADATA_SIZE, v -> builder.maxInboundMetadataSize((Integer) v));
    apply(ConfigKey.MAX_FRAME_SIZE, v -> builder.maxFrameSize((Integer) v));
    apply(ConfigKey.MAX_INBOUND_MESSAGE_SIZE, v -> builder.maxInboundMessageSize((Integer) v));
    apply(ConfigKey.FLOW_CONTROL_WINDOW, v -> builder.flowControlWindow((Integer) v));
    apply(ConfigKey.HANDSHAKE_TIMEOUT,
        v -> builder.handshakeTimeout(((Duration) v).toNanos(), TimeUnit.NANOSECONDS));
    apply(ConfigKey.MAX_ATTACHED_BYTES_PER_CALL, v -> builder.maxAttachedBytesPerCall((Long) v));
    apply(ConfigKey.MAX_ATTACHED_BYTES_PER_CONNECTION,
        v -> builder.maxAttachedBytesPerConnection((Long) v));
    apply(ConfigKey.MAX_ATTACHMENT_DESCRIPTORS,
        v -> builder.maxAttachmentDescriptors((Integer) v));
    apply(ConfigKey.KEEP_ALIVE_TIME,
        v -> builder.keepAliveTime(nanosOrForever(v), TimeUnit.NANOSECONDS));
    apply(ConfigKey.KEEP_ALIVE_TIMEOUT,
        v -> builder.keepAliveTimeout(((Duration) v).toNanos(), TimeUnit.NANOSECONDS));
    apply(ConfigKey.KEEP_ALIVE_WITHOUT_CALLS, v -> builder.keepAliveWithoutCalls((Boolean) v));
    return builder;
  }

  /**
   * A server builder listening on every address of {@code plumb.listen}, with the configured
   * server options. Options set on the returned builder override the configuration.
   *
   * @throws ConfigurationException if no listen address is set, no transport accepts one, or
   *     the builder rejects an option, naming the key and its source
   */
  @SuppressWarnings("unchecked")
  public PlumbServerBuilder serverBuilder() {
    Setting listen = require(ConfigKey.LISTEN, "where the server listens");
    List<String> addresses = (List<String>) listen.value;
    TlsSettings tls = tls();
    ServerCredentials credentials = tls.serverCredentials();
    String withTls = credentials instanceof TlsServerCredentials ? " " + tls.describe() : "";
    PlumbServerBuilder builder = applying(listen, (addresses.size() == 1 ? ""
        : "address '" + addresses.get(0) + "'") + withTls,
        () -> PlumbServerBuilder.forAddress(addresses.get(0), credentials));
    for (String address : addresses.subList(1, addresses.size())) {
      applying(listen, "address '" + address + "'" + withTls,
          () -> builder.addListenAddress(address, credentials));
    }
    return applyServerOptions(builder);
  }

  /**
   * The server's credentials as the {@code plumb.tls.*} keys say: {@code TlsServerCredentials},
   * or {@code InsecureServerCredentials} when none is set. For a server whose listen addresses
   * an application adds itself (e.g. beside other kinds of listener).
   *
   * @throws ConfigurationException if the TLS keys contradict each other or a file cannot be
   *     read, naming the keys and their sources
   */
  public ServerCredentials serverCredentials() {
    return tls().serverCredentials();
  }

  /**
   * Applies every configured server option, {@code plumb.listen} and TLS aside, to
   * {@code builder}; returns it. A {@link PlumbServerBuilder} takes them all. Any other gRPC
   * server builder (grpc-netty's, say) takes those that {@link ServerBuilder} declares: message
   * and metadata sizes, the handshake timeout, keep-alive and its permissions, connection idle
   * and age; the options only Plumb's transports have ({@code plumb.maxFrameSize},
   * {@code flowControlWindow}, {@code maxConcurrentCallsPerConnection}, {@code maxConnections},
   * {@code maxConnectionsPerPeer}) are left to that builder's defaults.
   *
   * @throws ConfigurationException if the builder rejects an option, naming the key and its
   *     source
   */
  public <B extends ServerBuilder<?>> B applyServerOptions(B builder) {
    apply(ConfigKey.MAX_INBOUND_METADATA_SIZE, v -> builder.maxInboundMetadataSize((Integer) v));
    if (builder instanceof PlumbServerBuilder plumb) {
      // After metadata: a larger metadata limit raises the frame size with it.
      apply(ConfigKey.MAX_FRAME_SIZE, v -> plumb.maxFrameSize((Integer) v));
    }
    apply(ConfigKey.MAX_INBOUND_MESSAGE_SIZE, v -> builder.maxInboundMessageSize((Integer) v));
    if (builder instanceof PlumbServerBuilder plumb) {
      apply(ConfigKey.FLOW_CONTROL_WINDOW, v -> plumb.flowControlWindow((Integer) v));
    }
    apply(ConfigKey.HANDSHAKE_TIMEOUT,
        v -> builder.handshakeTimeout(((Duration) v).toNanos(), TimeUnit.NANOSECONDS));
    if (builder instanceof PlumbServerBuilder plumb) {
      apply(ConfigKey.MAX_ATTACHED_BYTES_PER_CALL,
          v -> plumb.maxAttachedBytesPerCall((Long) v));
      apply(ConfigKey.MAX_ATTACHED_BYTES_PER_CONNECTION,
          v -> plumb.maxAttachedBytesPerConnection((Long) v));
      apply(ConfigKey.MAX_ATTACHMENT_DESCRIPTORS,
          v -> plumb.maxAttachmentDescriptors((Integer) v));
      apply(ConfigKey.MAX_CONCURRENT_CALLS_PER_CONNECTION,
          v -> plumb.maxConcurrentCallsPerConnection((Integer) v));
      apply(ConfigKey.MAX_CONNECTIONS, v -> plumb.maxConnections((Integer) v));
      apply(ConfigKey.MAX_CONNECTIONS_PER_PEER, v -> plumb.maxConnectionsPerPeer((Integer) v));
    }
    apply(ConfigKey.PERMIT_KEEP_ALIVE_TIME,
        v -> builder.permitKeepAliveTime(((Duration) v).toNanos(), TimeUnit.NANOSECONDS));
    apply(ConfigKey.PERMIT_KEEP_ALIVE_WITHOUT_CALLS,
        v -> builder.permitKeepAliveWithoutCalls((Boolean) v));
    apply(ConfigKey.KEEP_ALIVE_TIME,
        v -> builder.keepAliveTime(nanosOrForever(v), TimeUnit.NANOSECONDS));
    apply(ConfigKey.KEEP_ALIVE_TIMEOUT,
        v -> builder.keepAliveTimeout(((Duration) v).toNanos(), TimeUnit.NANOSECONDS));
    apply(ConfigKey.MAX_CONNECTION_IDLE,
        v -> builder.maxConnectionIdle(nanosOrForever(v), TimeUnit.NANOSECONDS));
    apply(ConfigKey.MAX_CONNECTION_AGE,
        v -> builder.maxConnectionAge(nanosOrForever(v), TimeUnit.NANOSECONDS));
    apply(ConfigKey.MAX_CONNECTION_AGE_GRACE,
        v -> builder.maxConnectionAgeGrace(nanosOrForever(v), TimeUnit.NANOSECONDS));
    return builder;
  }

  /** The TLS keys' settings ({@code plumb.tls*}). */
  private TlsSettings tls() {
    return new TlsSettings(settings);
  }

  /** A duration-or-off value in nanoseconds: off is forever, as the builders take it. */
  private static long nanosOrForever(Object value) {
    return value == OFF ? Long.MAX_VALUE : ((Duration) value).toNanos();
  }

  /** One line per key that is set: {@code key=value (source)}, in the documented order. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Setting setting : settings.values()) {
      text.append(setting.describe()).append('\n');
    }
    return text.toString();
  }

  private Setting require(ConfigKey key, String what) {
    Setting setting = settings.get(key);
    if (setting == null) {
      String where = !file.exists()
          ? "a properties file (named by -D" + ConfigKey.CONFIG.key + " or "
              + ConfigKey.CONFIG.env + ", else " + PropertiesFile.RESOURCE
              + " on the class path; none was found)"
          : "the " + file.description;
      throw failure(List.of(key.key + " is not set, so Plumb does not know " + what
          + "; set it as the application's argument, the system property -D" + key.key
          + "=..., the environment variable " + key.env + ", or a line " + key.key + "=... in "
          + where + "; the value is " + key.kind.form));
    }
    return setting;
  }

  private <T> T applying(Setting setting, Supplier<T> step) {
    return applying(setting, null, step);
  }

  private <T> T applying(Setting setting, String part, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      String problem = setting.describe() + ": "
          + (part == null || part.isEmpty() ? "" : part.trim() + ": ") + e.getMessage();
      log.warn("{}", problem);
      throw new ConfigurationException(problem, e);
    }
  }

  private void apply(ConfigKey key, Consumer<Object> setter) {
    Setting setting = settings.get(key);
    if (setting != null) {
      applying(setting, () -> {
        setter.accept(setting.value);
        return null;
      });
    }
  }

  static ConfigurationException failure(List<String> problems) {
    ConfigurationException e = new ConfigurationException(problems);
    log.warn("{}", e.getMessage());
    return e;
  }

  /**
   * Reads the sources and checks every value. Sources that are not given are the process's
   * own: {@link System#getProperties()}, {@link System#getenv()}, and the thread's context
   * class loader for {@code plumb.properties}; tests and embedders may give others.
   * Not thread-safe; use one loader from one thread.
   */
  public static final class Loader {
    private final Map<String, String> arguments = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private Properties systemProperties;
    private Map<String, String> environment;
    private ClassLoader classLoader;

    private Loader() {}

    /** The channel's target as the application's argument; null for none. */
    public Loader target(String target) {
      return set(ConfigKey.TARGET.key, target);
    }

    /**
     * The server's listen addresses (one, or several separated by commas) as the application's
     * argument; null for none.
     */
    public Loader listen(String addresses) {
      return set(ConfigKey.LISTEN.key, addresses);
    }

    /** The properties file to read, as the application's argument; null for none. */
    public Loader configFile(Path file) {
      return set(ConfigKey.CONFIG.key, file == null ? null : file.toString());
    }

    /**
     * Any key as the application's argument, the highest precedence; a null value removes an
     * earlier one. The key and value are checked by {@link #load()}.
     */
    public Loader set(String key, String value) {
      putOrRemove(arguments, key, value);
      return this;
    }

    /**
     * Any key's value when no source sets it, the lowest precedence (e.g. a listen address for
     * a demo); a null value removes an earlier one.
     */
    public Loader setDefault(String key, String value) {
      putOrRemove(defaults, key, value);
      return this;
    }

    private static void putOrRemove(Map<String, String> values, String key, String value) {
      if (value == null) {
        values.remove(key);
      } else {
        values.put(key, value);
      }
    }

    /** Reads system properties from {@code properties} instead of the JVM's. */
    public Loader systemProperties(Properties properties) {
      this.systemProperties = properties;
      return this;
    }

    /** Reads environment variables from {@code environment} instead of the process's. */
    public Loader environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Looks for {@code plumb.properties} with {@code loader}. */
    public Loader classLoader(ClassLoader loader) {
      this.classLoader = loader;
      return this;
    }

    /**
     * Reads every source and checks every {@code plumb.*} value in each of them.
     *
     * @throws ConfigurationException listing every unknown key, malformed value, repeated key
     *     in the file, and a file that cannot be read
     */
    public PlumbConfiguration load() {
      Properties properties = systemProperties != null ? systemProperties : System.getProperties();
      Map<String, String> env = environment != null ? environment : System.getenv();
      List<String> problems = new ArrayList<>();
      // Every value of every source, highest precedence first per key.
      Map<ConfigKey, List<Setting>> found = new EnumMap<>(ConfigKey.class);

      for (Map.Entry<String, String> argument : arguments.entrySet()) {
        add(found, argument.getKey(), argument.getValue(), Source.argument(argument.getKey()),
            problems);
      }
      for (String name : new TreeSet<>(properties.stringPropertyNames())) {
        if (name.startsWith(ConfigKey.PREFIX)) {
          add(found, name, properties.getProperty(name), Source.systemProperty(name), problems);
        }
      }
      for (ConfigKey key : ConfigKey.values()) {
        String value = env.get(key.env);
        if (value != null) {
          add(found, key.key, value, Source.environment(key.env), problems);
        }
      }
      warnOfUnknownVariables(env);

      PropertiesFile file = readFile(found.get(ConfigKey.CONFIG), problems);
      Source fileSource = file.exists() ? Source.file(file.description) : null;
      for (Map.Entry<String, String> entry : file.entries.entrySet()) {
        String name = entry.getKey();
        if (!name.startsWith(ConfigKey.PREFIX)) {
          continue;
        }
        if (name.equals(ConfigKey.CONFIG.key)) {
          problems.add(name + " (" + fileSource + "): the file cannot name another file; set "
              + name + " as a system property or " + ConfigKey.CONFIG.env);
        } else {
          add(found, name, entry.getValue(), fileSource, problems);
        }
      }
      for (String name : file.repeated) {
        if (name.startsWith(ConfigKey.PREFIX)) {
          problems.add(name + " is set more than once in the " + file.description
              + "; set each key once");
        }
      }
      for (Map.Entry<String, String> fallback : defaults.entrySet()) {
        add(found, fallback.getKey(), fallback.getValue(), Source.defaultValue(fallback.getKey()),
            problems);
      }

      if (!problems.isEmpty()) {
        throw failure(problems);
      }
      Map<ConfigKey, Setting> chosen = new EnumMap<>(ConfigKey.class);
      found.forEach((key, settings) -> chosen.put(key, highest(settings)));
      PlumbConfiguration configuration = new PlumbConfiguration(chosen, file);
      if (log.isDebugEnabled()) {
        log.debug("Plumb configuration:\n{}", configuration);
      }
      return configuration;
    }

    /** The setting of the source with the highest precedence. */
    private static Setting highest(List<Setting> settings) {
      Setting highest = settings.get(0);
      for (Setting setting : settings) {
        if (setting.source.rank.compareTo(highest.source.rank) < 0) {
          highest = setting;
        }
      }
      return highest;
    }

    /** Checks one value and, if it is good, files it under its key. */
    private static void add(Map<ConfigKey, List<Setting>> found, String name, String text,
        Source source, List<String> problems) {
      ConfigKey key = ConfigKey.byKey(name);
      if (key == null) {
        String closest = ConfigKey.closest(name);
        problems.add("unknown key " + name + " (" + source + ")"
            + (closest == null ? "" : "; did you mean " + closest + "?")
            + " The keys are " + String.join(", ", ConfigKey.keys()));
        return;
      }
      try {
        Object value = parse(key, text);
        found.computeIfAbsent(key, k -> new ArrayList<>())
            .add(new Setting(key, text.trim(), value, source));
      } catch (IllegalArgumentException e) {
        problems.add(key.key + "=" + text + " (" + source + "): " + e.getMessage());
      }
    }

    /** The value of {@code text} for {@code key}, or an exception saying what is accepted. */
    private static Object parse(ConfigKey key, String text) {
      String value = text.trim();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("the value is empty; expected " + key.kind.form);
      }
      switch (key.kind) {
        case PATH:
        case ADDRESS:
        case TRANSPORT:
          return value;
        case ADDRESS_LIST:
          List<String> addresses = new ArrayList<>();
          for (String address : ADDRESS_SEPARATOR.split(value)) {
            addresses.add(address.trim());
          }
          return List.copyOf(addresses);
        case SIZE:
          return Units.parseIntSize(value);
        case LARGE_SIZE:
          long bytes = Units.parseSize(value, Long.MAX_VALUE);
          if (bytes < 1) {
            throw new IllegalArgumentException("'" + value + "' is not at least 1 byte");
          }
          return bytes;
        case DURATION:
          return Units.parseDuration(value);
        case DURATION_OR_OFF:
          if (value.equalsIgnoreCase(OFF)) {
            return OFF;
          }
          try {
            return Units.parseDuration(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is neither off nor a duration;"
                + " expected " + key.kind.form, e);
          }
        case BOOLEAN:
          if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.valueOf(value.toLowerCase(Locale.ROOT));
          }
          throw new IllegalArgumentException("'" + value + "' is not a boolean; expected "
              + key.kind.form);
        case COUNT:
          if (value.matches("[0-9]{1,10}") && Long.parseLong(value) >= 1
              && Long.parseLong(value) <= Integer.MAX_VALUE) {
            return Integer.valueOf(value);
          }
          throw new IllegalArgumentException("'" + value + "' is not a count; expected "
              + key.kind.form);
        case CLIENT_AUTH:
          for (TlsServerCredentials.ClientAuth clientAuth
              : TlsServerCredentials.ClientAuth.values()) {
            if (clientAuth.name().equalsIgnoreCase(value)) {
              return clientAuth;
            }
          }
          throw new IllegalArgumentException("'" + value + "' is not a client authentication;"
              + " expected " + key.kind.form);
        default:
          throw new AssertionError(key.kind);
      }
    }

    private static void warnOfUnknownVariables(Map<String, String> env) {
      for (String name : new TreeSet<>(env.keySet())) {
        if (name.startsWith(ConfigKey.ENV_PREFIX) && !isKnownVariable(name)) {
          log.warn("ignoring the environment variable {}: Plumb has no such setting; the"
              + " variables are the keys of docs/CONFIGURATION.md, e.g. PLUMB_TARGET", name);
        }
      }
    }

    private static boolean isKnownVariable(String name) {
      for (ConfigKey key : ConfigKey.values()) {
        if (key.env.equals(name)) {
          return true;
        }
      }
      return false;
    }

    /** The file named by the highest source of {@code plumb.config}, else the class path's. */
    private PropertiesFile readFile(List<Setting> named, List<String> problems) {
      try {
        if (named != null) {
          Setting chosen = highest(named);
          Path path;
          try {
            path = Path.of((String) chosen.value);
          } catch (InvalidPathException e) {
            problems.add(chosen.describe() + ": not a valid path: " + e.getReason());
            return PropertiesFile.none();
          }
          return PropertiesFile.read(path, chosen.source);
        }
        ClassLoader loader = classLoader != null ? classLoader
            : Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : PlumbConfiguration.class.getClassLoader();
        return PropertiesFile.fromClassPath(loader);
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
        return PropertiesFile.none();
      }
    }
  }
}
