/**
 * What a kernel provides to the notebook API: {@link dev.jcn.notebook.spi.Host}, installed once by
 * the kernel in the JVM that runs cells. Cells and libraries use {@link dev.jcn.notebook} and never
 * need this package.
 */
package dev.jcn.notebook.spi;
