import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { EmptyToUndefined, Matches, Trim } from '../../common/form-fields';
import { LANGUAGE_CODES } from '../../users/user.view';
import { IsTimeZone } from '../../common/is-time-zone';

export class SignInDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter your e-mail address.' })
  @MaxLength(254, { message: 'An e-mail address has at most 254 characters.' })
  email: string;

  @IsString()
  @IsNotEmpty({ message: 'Enter your password.' })
  @MaxLength(1024, { message: 'That password is too long.' })
  password: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

export class ForgotPasswordDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter the e-mail address of your account.' })
  @MaxLength(254, { message: 'An e-mail address has at most 254 characters.' })
  email: string;
}

export class NewPasswordDto {
  @IsString()
  @IsNotEmpty({ message: 'Choose a password.' })
  @MaxLength(1024, { message: 'Use at most 128 characters.' })
  password: string;

  @IsString()
  @Matches('password', { message: 'The two passwords are not the same.' })
  confirmPassword: string;
}

export class ProfileDto {
  @Trim()
  @IsString()
  @IsNotEmpty({ message: 'Enter your name.' })
  @MaxLength(200, { message: 'Use at most 200 characters.' })
  name: string;

  @IsString()
  @IsTimeZone({ message: 'Choose your time zone from the list.' })
  timeZone: string;

  @IsString()
  @IsIn(LANGUAGE_CODES, { message: 'Choose a language from the list.' })
  language: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty({ message: 'Enter your current password.' })
  @MaxLength(1024)
  currentPassword: string;

  @IsString()
  @IsNotEmpty({ message: 'Choose a new password.' })
  @MaxLength(1024, { message: 'Use at most 128 characters.' })
  newPassword: string;

  @IsString()
  @Matches('newPassword', { message: 'The two new passwords are not the same.' })
  confirmPassword: string;
}
