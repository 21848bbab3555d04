package dev.plumb.spring;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code plumb.server.listen} names an address in any of its relaxed forms
 * ({@code plumb.server.listen[0]}, {@code PLUMB_SERVER_LISTEN}, ...), which a property
 * condition, looking up one name, would not see.
 */
final class OnListenAddresses extends SpringBootCondition {
  static final String KEY = PlumbProperties.PREFIX + ".server.listen";

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    List<String> addresses = Binder.get(context.getEnvironment())
        .bind(KEY, Bindable.listOf(String.class))
        .orElse(List.of());
    return addresses.isEmpty()
        ? ConditionOutcome.noMatch(KEY + " names no address")
        : ConditionOutcome.match(KEY + " names " + addresses);
  }
}
