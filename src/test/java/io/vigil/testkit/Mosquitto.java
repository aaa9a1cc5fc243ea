package io.vigil.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Under {@link RealBrokers}: a started Debian mosquitto ({@link io.vigil.embedded.MosquittoProcess}) for a static
 * field (one broker for the class) or a parameter (one for that method's scope), closed with that scope. On a
 * class, it says the class runs mosquitto or its clients some other way (through {@link Brokers}, or the code
 * under test starts it). Either way a missing installation fails the class before its first test, with one
 * line naming the packages to install.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Mosquitto {

    /** Sessions and queued messages survive {@code restart()} ({@code MosquittoProcess.startPersistent()}). */
    boolean persistent() default false;
}
