package dev.plumb.rpc.kit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A transport's options, {@code key=value} pairs joined by {@code &}: the query of
 * {@code unix:///run/app.sock?mode=0660}, or what follows {@code #} in a {@code pipe:} target.
 * Every transport checks its options here, so that they all fail the same way: an unknown,
 * repeated or empty key, a key without a value, or a malformed value is an
 * {@link IllegalArgumentException} whose message quotes the address, names the key and lists
 * the accepted keys or the accepted form of the value.
 *
 * <p>An accepted key ending in {@code .NAME} (e.g. {@code env.NAME}) stands for a family: any
 * key with that prefix and a non-empty rest, repeatable with different rests, whose value may
 * be empty. Other keys need a non-empty value.
 */
public final class UriOptions {
  private static final String FAMILY = ".NAME";

  private final String address;
  private final List<String> accepted;
  private final Map<String, String> values;

  private UriOptions(String address, List<String> accepted, Map<String, String> values) {
    this.address = address;
    this.accepted = List.copyOf(accepted);
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Parses {@code options}.
   *
   * @param options the pairs; null or empty for none
   * @param percentEncoded whether keys and values are still percent-encoded (a raw query)
   * @param address the whole address, quoted in error messages
   * @param accepted the accepted keys, in the order messages list them; empty if the
   *     transport takes no options
   * @throws IllegalArgumentException naming the bad key and the accepted keys
   */
  public static UriOptions parse(String options, boolean percentEncoded, String address,
      List<String> accepted) {
    Map<String, String> values = new LinkedHashMap<>();
    UriOptions result = new UriOptions(address, accepted, values);
    if (options == null || options.isEmpty()) {
      return result;
    }
    for (String pair : options.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), percentEncoded);
      if (key.isEmpty()) {
        throw result.problem("an option has no name (a stray '&' or '=')");
      }
      String family = result.familyOf(key);
      if (family == null && !accepted.contains(key)) {
        throw result.problem("unknown option '" + key + "'");
      }
      String value = eq < 0 ? null : decode(pair.substring(eq + 1), percentEncoded);
      if (value == null || (value.isEmpty() && family == null)) {
        throw result.problem("option '" + key + "' has no value");
      }
      if (values.put(key, value) != null) {
        throw result.problem("option '" + key + "' is given twice");
      }
    }
    return result;
  }

  /** The value of {@code key}, or null if it is not given. */
  public String get(String key) {
    return values.get(key);
  }

  /** The keys given, in their order. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }

  /**
   * The options of the family {@code prefix.NAME}, by NAME, sorted; e.g. {@code env.LANG=C}
   * is {@code LANG -> C} for the prefix {@code env}.
   */
  public Map<String, String> family(String prefix) {
    Map<String, String> members = new TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith(prefix + ".")) {
        members.put(key.substring(prefix.length() + 1), value);
      }
    });
    return members;
  }

  /** {@code key}'s duration ({@link Units#DURATION_FORM}), or {@code otherwise} if not given. */
  public Duration duration(String key, Duration otherwise) {
    String value = values.get(key);
    if (value == null) {
      return otherwise;
    }
    try {
      return Units.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw invalid(key, "must be a duration: " + Units.DURATION_FORM + "; got '" + value + "'");
    }
  }

  /** {@code key}'s size in bytes ({@link Units#SIZE_FORM}) up to {@code max}, or {@code otherwise}. */
  public long size(String key, long max, long otherwise) {
    String value = values.get(key);
    if (value == null) {
      return otherwise;
    }
    try {
      return Units.parseSize(value, max);
    } catch (IllegalArgumentException e) {
      throw invalid(key, "must be a size of at most " + max + " bytes: " + Units.SIZE_FORM
          + "; got '" + value + "'");
    }
  }

  /** {@code key}'s whole number from 1 to {@link Integer#MAX_VALUE}, or {@code otherwise}. */
  public int positiveInt(String key, int otherwise) {
    String value = values.get(key);
    if (value == null) {
      return otherwise;
    }
    if (value.matches("[0-9]{1,10}") && Long.parseLong(value) >= 1
        && Long.parseLong(value) <= Integer.MAX_VALUE) {
      return Integer.parseInt(value);
    }
    throw invalid(key, "must be a whole number from 1 to " + Integer.MAX_VALUE + "; got '"
        + value + "'");
  }

  /**
   * An error about {@code key}'s value: {@code 'ADDRESS': option 'KEY' PROBLEM}. The problem
   * should say what is accepted, e.g. {@code must be octal permission bits ...; got '999'}.
   */
  public IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException("'" + address + "': option '" + key + "' " + problem);
  }

  /** An error about the options as a whole, listing the accepted keys. */
  private IllegalArgumentException problem(String problem) {
    return new IllegalArgumentException("'" + address + "': " + problem + "; "
        + (accepted.isEmpty() ? "this address takes no options"
            : "accepted options: " + String.join(", ", accepted)));
  }

  private String familyOf(String key) {
    for (String name : accepted) {
      if (name.endsWith(FAMILY)) {
        String prefix = name.substring(0, name.length() - FAMILY.length() + 1);
        if (key.startsWith(prefix) && key.length() > prefix.length()) {
          return name;
        }
      }
    }
    return null;
  }

  private static String decode(String text, boolean percentEncoded) {
    // Percent escapes only: '+' stays '+', as in a URI (URLDecoder would make it a blank).
    return percentEncoded ? URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8)
        : text;
  }
}
