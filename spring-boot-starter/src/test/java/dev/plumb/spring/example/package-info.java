/**
 * The starter's example, two Spring Boot applications in packages of their own (so that one's
 * component scan does not find the other): a calculator server whose service is a bean, and a
 * client whose channel is injected. The tests start both; docs/SPRING_BOOT.md walks through
 * them.
 */
package dev.plumb.spring.example;
