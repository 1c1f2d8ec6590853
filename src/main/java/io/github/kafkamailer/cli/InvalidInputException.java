package io.github.kafkamailer.cli;

/** Bad input given to a command (a file that breaks the contract, a missing file): exit status 2. */
final class InvalidInputException extends RuntimeException {
    InvalidInputException(String message) {
        super(message);
    }
}
