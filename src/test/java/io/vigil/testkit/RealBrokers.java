package io.vigil.testkit;

import io.vigil.embedded.EmbeddedKafka;
import io.vigil.embedded.MosquittoProcess;
import io.vigil.embedded.MqttBroker;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The integration tests' real brokers: in-process Kafka ({@link Kafka}), Debian's mosquitto ({@link Mosquitto})
 * or whichever MQTT 5 broker is at hand ({@link Mqtt}), started for annotated static fields before all tests and
 * for annotated parameters when the method is called; a {@link Brokers} parameter starts brokers configured at
 * run time. Every broker is closed through JUnit's store when its scope ends (after {@code @AfterAll} for the
 * class's, after the test for a test's), the last started first.
 *
 * <pre>{@code
 * @ExtendWith(RealBrokers.class)
 * class BridgeIT {
 *     @Kafka static EmbeddedKafka kafka;
 *     @Mosquitto static MosquittoProcess mosquitto;
 *
 *     @Test
 *     void survivesARestart(@Mosquitto(persistent = true) MosquittoProcess own) { ... }
 * }
 * }</pre>
 */
public final class RealBrokers implements BeforeAllCallback, ParameterResolver {

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealBrokers.class);

    /** The annotations and the type each one gives, in the order fields are started. */
    private static final Map<Class<? extends Annotation>, Class<?>> GIVES = new LinkedHashMap<>();

    static {
        GIVES.put(Kafka.class, EmbeddedKafka.class);
        GIVES.put(Mosquitto.class, MosquittoProcess.class);
        GIVES.put(Mqtt.class, MqttBroker.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        Class<?> testClass = context.getRequiredTestClass();
        if (usesMosquitto(testClass)) {
            MosquittoRequired.check(context);
        }
        Brokers brokers = new Brokers(context);
        for (Class<? extends Annotation> annotation : GIVES.keySet()) {
            for (Field field : AnnotationSupport.findAnnotatedFields(testClass, annotation)) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@" + annotation.getSimpleName() + " field "
                            + field.getName() + " must be static: brokers are started once per class");
                }
                checkType(annotation, field.getType(), "field " + field.getName());
                field.setAccessible(true);
                field.set(null, start(brokers, field.getAnnotation(annotation)));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Parameter p = parameter.getParameter();
        if (p.getType() == Brokers.class) {
            return true;
        }
        for (Class<? extends Annotation> annotation : GIVES.keySet()) {
            if (parameter.isAnnotated(annotation)) {
                checkType(annotation, p.getType(), "parameter " + p.getName());
                return true;
            }
        }
        return false;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Brokers brokers = new Brokers(context);
        if (parameter.getParameter().getType() == Brokers.class) {
            return brokers;
        }
        for (Class<? extends Annotation> annotation : GIVES.keySet()) {
            if (parameter.isAnnotated(annotation)) {
                return start(brokers, parameter.findAnnotation(annotation).orElseThrow());
            }
        }
        throw new IllegalStateException("unsupported parameter " + parameter.getParameter());
    }

    private static Object start(Brokers brokers, Annotation annotation) {
        if (annotation instanceof Kafka kafka) {
            return brokers.kafka(properties(kafka.value()));
        }
        if (annotation instanceof Mosquitto mosquitto) {
            return mosquitto.persistent() ? brokers.persistentMosquitto() : brokers.mosquitto();
        }
        return brokers.anyMqtt();
    }

    /** {@code key=value} entries as broker properties. */
    static Map<String, String> properties(String[] entries) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@Kafka property '" + entry + "' is not key=value");
            }
            properties.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return properties;
    }

    private static void checkType(Class<? extends Annotation> annotation, Class<?> declared, String what) {
        if (!declared.isAssignableFrom(GIVES.get(annotation))) {
            throw new ExtensionConfigurationException("@" + annotation.getSimpleName() + " gives a "
                    + GIVES.get(annotation).getSimpleName() + ", not the " + declared.getSimpleName() + " of " + what);
        }
    }

    /** Whether the class says so, or has a {@link Mosquitto} field or parameter anywhere. */
    private static boolean usesMosquitto(Class<?> testClass) {
        if (AnnotationSupport.isAnnotated(testClass, Mosquitto.class)
                || !AnnotationSupport.findAnnotatedFields(testClass, Mosquitto.class).isEmpty()) {
            return true;
        }
        List<Method> methods = ReflectionSupport.findMethods(testClass, m -> true, HierarchyTraversalMode.TOP_DOWN);
        return methods.stream().flatMap(m -> Arrays.stream(m.getParameters()))
                .anyMatch(p -> p.isAnnotationPresent(Mosquitto.class));
    }
}
