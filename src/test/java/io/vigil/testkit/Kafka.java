package io.vigil.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Under {@link RealBrokers}: a started in-process Kafka broker ({@link io.vigil.embedded.EmbeddedKafka}) for a
 * static field (one broker for the class) or a parameter (one for that method's scope), closed with that scope.
 *
 * <pre>{@code
 * @Kafka("auto.create.topics.enable=false") static EmbeddedKafka kafka;
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Kafka {

    /** Broker properties that replace the embedded defaults, each {@code key=value}. */
    String[] value() default {};
}
